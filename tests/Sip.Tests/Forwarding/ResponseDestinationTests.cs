using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Forwarding;

/// <summary>
/// RFC 3261 §18.2.2 over real loopback streams: a response goes back on the connection its request came on, and only
/// once that connection is gone to where its sender listens. The proxy layer decides that; the transport only sends.
/// </summary>
public sealed class ResponseDestinationTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;

    public ResponseDestinationTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task Rfc3261_18_2_2_SendAsync_ConnectionGone_GoesToTheSendersAddressAtItsSentByPort()
    {
        var requests = new ChannelHandler();
        await using var server = Listen(requests);
        var senderListening = new ChannelHandler();
        await using var sender = Listen(senderListening);
        IPEndPoint cameFrom;
        using (var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint))
        {
            cameFrom = client.LocalEndPoint;
            await client.SendAsync(StreamMessages.Options("connection-gone"));
            await requests.NextAsync();
        }

        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "peer_closed");
        var response = StreamMessages.Answer("connection-gone", $"SIP/2.0/TCP {sender.Hop.EndPoint};branch=z9hG4bKgone;received=127.0.0.1;rport={cameFrom.Port}");

        Assert.True(await ResponseDestination.SendAsync(server, SipText.Wire(response), cameFrom, CancellationToken.None));

        var delivered = await senderListening.NextAsync();
        Assert.StartsWith("SIP/2.0 200 OK\n", delivered.Text, StringComparison.Ordinal);
        Assert.Contains("Call-ID: connection-gone\n", delivered.Text, StringComparison.Ordinal);
        Assert.Equal(0, recorded.Sum("orleansproxy.sip.messages.dropped", "reason", "send_failed"));
    }

    [Fact]
    public async Task Rfc3261_18_2_2_SendAsync_ConnectionOpen_GoesBackOnItNotToTheSentByPort()
    {
        var requests = new ChannelHandler();
        await using var server = Listen(requests);
        var senderListening = new ChannelHandler();
        await using var sender = Listen(senderListening);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await client.SendAsync(StreamMessages.Options("connection-open"));
        await requests.NextAsync();
        var response = StreamMessages.Answer("connection-open", $"SIP/2.0/TCP {sender.Hop.EndPoint};branch=z9hG4bKopen;received=127.0.0.1;rport={client.LocalEndPoint.Port}");

        Assert.True(await ResponseDestination.SendAsync(server, SipText.Wire(response), client.LocalEndPoint, CancellationToken.None));

        Assert.Contains("Call-ID: connection-open\n", await client.ReadMessageAsync(), StringComparison.Ordinal);
        Assert.Equal(0, senderListening.Waiting);
        Assert.Equal(0, recorded.Sum("orleansproxy.sip.connections.opened", "direction", "outbound"));
    }

    private StreamTransport Listen(ISipMessageHandler handler)
    {
        var transport = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), NullLogger.Instance, metrics);
        transport.Start(handler, maxPending: 4);
        return transport;
    }
}
