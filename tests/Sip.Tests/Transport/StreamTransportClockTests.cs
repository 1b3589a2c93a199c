using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>The connect time-out runs on the transport's clock: a test moves that clock instead of waiting it out.</summary>
public sealed class StreamTransportClockTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;

    public StreamTransportClockTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task Connect_TlsServerThatNeverHandshakes_FailsOnceTheConnectTimeoutPassesOnTheTransportsClock()
    {
        var time = new FakeTimeProvider();
        var connectTimeout = TimeSpan.FromSeconds(5);
        using var silent = StreamTransportTests.ListeningSocket(IPAddress.Loopback);
        await using var client = StreamTransport.CreateClient(SipTransportKind.Tls, IPAddress.Loopback, new StreamTransportOptions { ConnectTimeout = connectTimeout }, NullLogger.Instance, metrics, time: time);
        client.Start(new ChannelHandler(), maxPending: 4);

        var sending = client.SendAsync(SipText.Wire(StreamMessages.Options("never-secured")), (IPEndPoint)silent.LocalEndPoint!, CancellationToken.None).AsTask();
        using var accepted = await StreamPeer.AcceptAsync(silent);

        // Counted once the socket is connected, so from here on only the handshake waits. Its bound is set a moment
        // later, which this test cannot see: the clock moves until that bound has passed.
        await recorded.WaitForAsync("orleansproxy.sip.connections.opened", "direction", "outbound");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!sending.IsCompleted && !patience.IsCancellationRequested)
        {
            time.Advance(connectTimeout);
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token));
        }

        Assert.True(sending.IsCompleted);
        Assert.False(await sending);
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.closed", "reason", "tls_failed"));
        Assert.Equal(0, client.ConnectionCount);
    }
}
