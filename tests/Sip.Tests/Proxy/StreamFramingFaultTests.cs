using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// RFC 3261 §18.3 on real loopback streams: a stream whose bytes cannot be framed has lost its message boundaries,
/// so its connection closes; the proxy, which the transport reports the fault to, first tells a request that still
/// carries a Via what was wrong, in both cores, and only that connection is lost.
/// </summary>
public sealed class StreamFramingFaultTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;
    private readonly FakeResolver resolver = new();

    public StreamFramingFaultTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Theory]
    [InlineData(null, "Server: OrleansProxy\n")]
    [InlineData("Edge", "Server: Edge\n")]
    [InlineData("", null)]
    public async Task Rfc3261_18_3_UnframeableRequest_The400NamesTheConfiguredProductOrNone(string? product, string? serverLine)
    {
        var core = product is null ? new ProxyCoreOptions() : new ProxyCoreOptions { Product = ProductName.Create(product) };
        await using var proxy = Serve(stateful: false, core);
        using var client = await StreamPeer.ConnectAsync(proxy.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("bad-length").Replace("Content-Length: 0\n", "Content-Length: none\n", StringComparison.Ordinal));

        var response = await client.ReadMessageAsync();
        Assert.StartsWith("SIP/2.0 400 ", response, StringComparison.Ordinal);
        if (serverLine is null)
        {
            Assert.DoesNotContain("\nServer:", response, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(serverLine, response, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rfc3261_18_3_NoContentLength_Answers400NamingTheFaultAndClosesThatConnectionOnly(bool stateful)
    {
        resolver.Decision = RouteDecision.Reject(404, "Not Found (nobody here)");
        await using var proxy = Serve(stateful, new ProxyCoreOptions());
        using var other = await StreamPeer.ConnectAsync(proxy.Hop.EndPoint);
        using var client = await StreamPeer.ConnectAsync(proxy.Hop.EndPoint);
        var withoutLength = StreamMessages.Options("no-length").Replace("Content-Length: 0\n", string.Empty, StringComparison.Ordinal);

        await client.SendAsync(withoutLength);

        Assert.StartsWith("SIP/2.0 400 Bad Request (Content-Length missing on a stream)\n", await client.ReadMessageAsync(), StringComparison.Ordinal);
        Assert.True(await client.ClosedByOtherSideAsync());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.closed", "reason", "malformed"));
        await recorded.WaitForAsync("orleansproxy.sip.parse.errors", "fault", "ContentLengthMissing");
        await other.SendAsync(StreamMessages.Options("still-served"));
        var answer = await other.ReadMessageAsync();
        Assert.StartsWith("SIP/2.0 404 ", answer, StringComparison.Ordinal);
        Assert.Contains("Call-ID: still-served\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc3261_18_3_GarbageWithoutARequestHead_ClosesWithoutAnAnswer()
    {
        await using var proxy = Serve(stateful: false, new ProxyCoreOptions());
        using var client = await StreamPeer.ConnectAsync(proxy.Hop.EndPoint);

        await client.SendAsync("\u0001\u0002 not SIP at all\r\n\r\n"u8.ToArray());

        Assert.True(await client.ClosedByOtherSideAsync());
        await recorded.WaitForAsync("orleansproxy.sip.messages.dropped", "reason", "malformed_request_unanswerable");
        Assert.Equal(0, recorded.Total("orleansproxy.sip.requests.answered"));
    }

    [Fact]
    public async Task Rfc3261_18_3_OverMaxMessageBytes_Answers513AndCloses()
    {
        await using var proxy = Serve(stateful: false, new ProxyCoreOptions(), new StreamTransportOptions { MaxMessageBytes = 1_000 });
        using var client = await StreamPeer.ConnectAsync(proxy.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("too-large", new string('x', 2_000)));

        Assert.StartsWith("SIP/2.0 513 Message Too Large\n", await client.ReadMessageAsync(), StringComparison.Ordinal);
        Assert.True(await client.ClosedByOtherSideAsync());
    }

    private ServedProxy Serve(bool stateful, ProxyCoreOptions core, StreamTransportOptions? streams = null)
    {
        var tcp = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), streams ?? new StreamTransportOptions(), NullLogger.Instance, metrics);
        var identity = new ProxyIdentity([tcp], []);
        var transactions = stateful
            ? new StatefulProxy(identity, resolver, new StatefulProxyOptions { Core = core }, metrics, TimeProvider.System, NullLoggerFactory.Instance)
            : null;
        tcp.Start(transactions ?? (ISipMessageHandler)new StatelessProxy(identity, resolver, core, metrics, NullLogger<StatelessProxy>.Instance), maxPending: 4);
        return new ServedProxy(tcp, transactions);
    }

    private sealed record ServedProxy(StreamTransport Transport, StatefulProxy? Stateful) : IAsyncDisposable
    {
        public LocalHop Hop => Transport.Hop;

        public async ValueTask DisposeAsync()
        {
            Stateful?.Stop();
            await Transport.DisposeAsync();
        }
    }
}
