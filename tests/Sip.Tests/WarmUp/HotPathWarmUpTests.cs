using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.WarmUp;

namespace OrleansProxy.Sip.Tests.WarmUp;

/// <summary>
/// The synthetic calls a node runs before it takes traffic go through the real proxy cores the way a call does (RFC 3261
/// §16: INVITE forwarded, 180 and 200 back along Via, ACK and BYE forwarded, an OPTIONS to the proxy answered), on a
/// transport without a socket.
/// </summary>
public sealed class HotPathWarmUpTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly SipMetrics metrics = new();
    private readonly HotPathWarmUp warmUp = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Rfc3261_16_WarmUp_StatefulProxy_EveryCallAnsweredAsARealCallIs()
    {
        using var recorder = new MetricsRecorder(metrics);
        var proxy = new StatefulProxy(Identity(), warmUp.Resolver, new StatefulProxyOptions(), metrics, TimeProvider.System, NullLoggerFactory.Instance);

        var result = await warmUp.RunAsync(proxy, calls: 20, Patience, CancellationToken.None);
        proxy.Stop();

        Assert.Equal(new WarmUpResult(20, 20), result);
        Assert.Equal(3 * 20, recorder.Total("orleansproxy.sip.requests.forwarded"));
    }

    [Fact]
    public async Task Rfc3261_16_11_WarmUp_StatelessProxy_EveryCallAnsweredAsARealCallIs()
    {
        using var recorder = new MetricsRecorder(metrics);
        var proxy = new StatelessProxy(Identity(), warmUp.Resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);

        var result = await warmUp.RunAsync(proxy, calls: 20, Patience, CancellationToken.None);

        Assert.Equal(new WarmUpResult(20, 20), result);
        Assert.Equal(3 * 20, recorder.Total("orleansproxy.sip.requests.forwarded"));
    }

    [Fact]
    public async Task WarmUp_BudgetSpent_RunsNoFurtherCall()
    {
        var proxy = new StatelessProxy(Identity(), warmUp.Resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);

        var result = await warmUp.RunAsync(proxy, calls: 1000, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(new WarmUpResult(0, 0), result);
    }

    private ProxyIdentity Identity() => new([warmUp.Transport], ["sip-proxy.example.com"]);
}
