using System.Globalization;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// One batch of calls through a throwaway node before a test class places its own. In a fresh process
/// the proxy's first transactions run through cold code: the first routing call to the pair's grain can
/// miss its 500 ms time-out (the proxy then answers 503), and the concurrent receive loops can forward a
/// UAS's 100/180/200, or a UAC's ACK and BYE, out of order, which sipp fails as unexpected messages. The
/// tests that use this are about routing and failover, so they start warm; <see cref="Outcome"/> keeps
/// what the cold batch went through visible in their output.
/// </summary>
public sealed class ProxyWarmUp : IAsyncLifetime
{
    private const int Calls = 30;
    private const int CallsPerSecond = 15;

    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(3);

    public string Outcome { get; private set; } = "not run: sipp is not installed";

    public async Task InitializeAsync()
    {
        if (!SippProcess.IsInstalled)
        {
            return;
        }

        await using var pair = await ProxiedSippPair.StartAsync();
        var result = await pair.RunCallsAsync(Calls, CallsPerSecond, ReceiveTimeout);
        Outcome = string.Create(
            CultureInfo.InvariantCulture,
            $"{result.Statistics?.Successful} of {Calls} cold calls succeeded, {result.Statistics?.Failed} failed; UAC messages: {result.Messages}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
