using OrleansProxy.Grains;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// sipp over TCP on both sides of a whole node (the UAC holds one connection to the proxy, <c>-t t1</c>, or one per
/// call, <c>-t tn</c>; the proxy one to each UAS): every call completes, and killing the primary mid-run (its connection breaks) moves the
/// transactions in flight to the backup without a failed call.
/// </summary>
public sealed class ProxySippTcpTests
{
    private const string NotInstalled = "sipp is not installed (Debian package sip-tester).";

    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(1.5);

    [SkippableTheory]
    [InlineData(SippTransport.Tcp)]
    [InlineData(SippTransport.TcpPerCall)]
    internal async Task RunUacOverTcp_AllCallsCompleteOnThePrimary(SippTransport uacTransport)
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        await using var pair = await ProxiedSippPair.StartAsync(SippTransport.Tcp);

        var result = await pair.RunCallsAsync(30, 15, ReceiveTimeout, uacTransport);

        Assert.True(result.AllCallsSucceeded, $"{result}\n--- primary UAS ---\n{pair.Primary.Describe()}\n--- node log ---\n{pair.Node.Log}");
        var counts = await ProxiedSippPair.CountsWhenAsync(pair.Primary, c => c.Received("BYE") >= 30);
        Assert.Equal(30, counts?.Received("INVITE"));
    }

    [SkippableFact]
    public async Task PrimaryKilledMidRunOverTcp_UacCountsNoFailedCall()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        await using var pair = await ProxiedSippPair.StartAsync(SippTransport.Tcp);

        // No pause between ACK and BYE, so no dialog lives on the primary when it dies (see StatefulFailoverSippTests).
        var run = SippProcess.RunUacAsync(
            new SippUacOptions(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), pair.ProxyEndPoint, 150, 50, TimeSpan.FromSeconds(60))
            {
                CallDuration = TimeSpan.Zero,
                Transport = SippTransport.Tcp,
            },
            CancellationToken.None);
        await Task.Delay(KillAfter);
        await pair.Primary.StopAsync();
        var result = await run;

        Assert.True(result.AllCallsSucceeded, $"{result}\n--- node log ---\n{pair.Node.Log}");
        Assert.Equal(MemberRole.Backup, (await pair.Node.PairGrain.GetStatus()).ActiveRole);
    }
}
