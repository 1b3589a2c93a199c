using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

public sealed class StreamTransportLimitTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;

    public StreamTransportLimitTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task Accept_PastMaxConnections_RefusesTheNewOneAndTheOldOneStillCarriesMessages()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler, new StreamTransportOptions { MaxConnections = 1 });
        using var first = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await first.SendAsync(StreamMessages.Options("first-1"));
        await handler.NextAsync();

        using var refused = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        Assert.True(await refused.ClosedByOtherSideAsync());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.refused", "reason", "max_connections"));
        await first.SendAsync(StreamMessages.Options("first-2"));
        Assert.Contains("Call-ID: first-2\n", (await handler.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_PastMaxConnectionsPerPeer_RefusesThatPeerOnly()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler, new StreamTransportOptions { MaxConnectionsPerPeer = 1 });
        using var first = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await first.SendAsync(StreamMessages.Options("peer-one"));
        await handler.NextAsync();

        using var refused = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        Assert.True(await refused.ClosedByOtherSideAsync());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.refused", "reason", "max_per_peer"));

        // 127.0.0.2 is another peer on the same loopback interface.
        using var otherPeer = await StreamPeer.ConnectAsync(server.Hop.EndPoint, from: IPAddress.Parse("127.0.0.2"));
        await otherPeer.SendAsync(StreamMessages.Options("peer-two"));
        Assert.Contains("Call-ID: peer-two\n", (await handler.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_PastMaxConnections_ReturnsFalseWithoutConnecting()
    {
        using var listening = StreamTransportTests.ListeningSocket(IPAddress.Loopback);
        await using var client = StreamTransport.CreateClient(SipTransportKind.Tcp, IPAddress.Loopback, new StreamTransportOptions { MaxConnections = 0 }, NullLogger.Instance, metrics);
        client.Start(new ChannelHandler(), maxPending: 4);

        Assert.False(await client.SendAsync(SipText.Wire(StreamMessages.Options("refused")), (IPEndPoint)listening.LocalEndPoint!, CancellationToken.None));
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.refused", "reason", "max_connections"));
        Assert.Equal(0, recorded.Sum("orleansproxy.sip.connections.opened", "transport", "tcp"));
    }

    [Fact]
    public async Task ClosedConnection_ReleasesItsPlace()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler, new StreamTransportOptions { MaxConnections = 1 });
        using (var first = await StreamPeer.ConnectAsync(server.Hop.EndPoint))
        {
            await first.SendAsync(StreamMessages.Options("before"));
            await handler.NextAsync();
        }

        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "peer_closed");
        using var next = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await next.SendAsync(StreamMessages.Options("after"));

        Assert.Contains("Call-ID: after\n", (await handler.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(0, recorded.Sum("orleansproxy.sip.connections.refused", "transport", "tcp"));
    }

    [Fact]
    public async Task SendAsync_PeerStopsReading_ClosesTheConnectionAtTheWriteTimeout()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(1);
        await using var client = StreamTransport.CreateClient(SipTransportKind.Tcp, IPAddress.Loopback, new StreamTransportOptions { WriteTimeout = TimeSpan.FromMilliseconds(200) }, NullLogger.Instance, metrics);
        client.Start(new ChannelHandler(), maxPending: 4);
        var destination = (IPEndPoint)listening.LocalEndPoint!;
        var large = SipText.Wire(StreamMessages.Options("flood", new string('x', 60_000)));
        Assert.True(await client.SendAsync(large, destination, CancellationToken.None));
        using var neverReads = await StreamPeer.AcceptAsync(listening);

        // The socket buffers fill up, then one write waits for a reader that never comes.
        var sends = 0;
        while (await client.SendAsync(large, destination, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.True(++sends < 1_000, "the socket buffers never filled");
        }

        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "write_stalled");
    }

    [Fact]
    public void Bind_BoundThatCannotWork_FailsNamingIt()
    {
        var options = new StreamTransportOptions { IdleTimeout = TimeSpan.Zero };

        var fault = Assert.Throws<ArgumentException>(() => StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), options, NullLogger.Instance, metrics));

        Assert.Equal(nameof(StreamTransportOptions.IdleTimeout), fault.ParamName);
    }

    private StreamTransport Listen(ChannelHandler handler, StreamTransportOptions options)
    {
        var transport = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), options, NullLogger.Instance, metrics);
        transport.Start(handler, maxPending: 4);
        return transport;
    }
}
