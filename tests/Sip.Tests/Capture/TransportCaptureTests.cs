using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Capture;

public sealed class TransportCaptureTests : IDisposable
{
    private readonly SipMetrics metrics = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task UdpListener_RequestAnswered_ReportsBothWithTheirEnds()
    {
        var capture = new RecordingCapture();
        var handler = new ChannelHandler(answerRequestsWith: 200);
        await using var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics, capture);
        listener.Start(handler, maxPending: 4);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var request = StreamMessages.Options("udp-capture");

        await client.SendToAsync(SipText.Wire(request), listener.Hop.EndPoint);
        var answer = new byte[4096];
        var length = await client.ReceiveAsync(answer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var captured = await capture.WaitForAsync(2);
        Assert.Equal(2, captured.Length);
        Assert.Equal(new RecordingCapture.Captured(false, request, SipTransportKind.Udp, listener.Hop.EndPoint, (IPEndPoint)client.LocalEndPoint!), captured[0]);
        Assert.Equal(new RecordingCapture.Captured(true, SipText.Text(answer.AsSpan(0, length)), SipTransportKind.Udp, listener.Hop.EndPoint, (IPEndPoint)client.LocalEndPoint!), captured[1]);
    }

    [Fact]
    public async Task StreamTransport_RequestAnswered_ReportsBothWithTheConnectionsEnds()
    {
        var capture = new RecordingCapture();
        var handler = new ChannelHandler(answerRequestsWith: 200);
        await using var server = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), NullLogger.Instance, metrics, capture);
        server.Start(handler, maxPending: 4);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        var request = StreamMessages.Options("tcp-capture");

        await client.SendAsync(request);
        var response = await client.ReadMessageAsync();

        var captured = await capture.WaitForAsync(2);
        Assert.Equal(2, captured.Length);
        Assert.Equal(new RecordingCapture.Captured(false, request, SipTransportKind.Tcp, server.Hop.EndPoint, client.LocalEndPoint), captured[0]);
        Assert.Equal(new RecordingCapture.Captured(true, response, SipTransportKind.Tcp, server.Hop.EndPoint, client.LocalEndPoint), captured[1]);
    }
}
