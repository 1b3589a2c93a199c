using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Capture;

/// <summary>
/// What a transport captures, decoded by third-party tools (see <see cref="HepDecoder"/>) and compared with the
/// bytes that really crossed the sockets. Skipped where the tools are not installed.
/// </summary>
public sealed class HepDecodedByToolsTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly HepCollector collector = new();
    private readonly string directory = Directory.CreateTempSubdirectory("hep-decode-").FullName;

    public void Dispose()
    {
        collector.Dispose();
        metrics.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [SkippableFact]
    public async Task Capture_UdpAndTcpRequestsAnswered_DecodesToTheExactBytesOnTheWire()
    {
        Skip.If(HepDecoder.WhyUnavailable is not null, HepDecoder.WhyUnavailable);
        await using var sender = new HepSender(new HepSenderOptions { Collector = collector.EndPoint, CaptureId = 1 }, metrics, NullLogger.Instance);
        sender.Start();
        var handler = new ChannelHandler(answerRequestsWith: 200);
        await using var udp = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics, sender);
        udp.Start(handler, maxPending: 4);
        await using var tcp = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), NullLogger.Instance, metrics, sender);
        tcp.Start(handler, maxPending: 4);

        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        phone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var udpRequest = SipText.Wire(StreamMessages.Options("decoded-over-udp"));
        await phone.SendToAsync(udpRequest, udp.Hop.EndPoint);
        var buffer = new byte[4096];
        var udpAnswer = buffer.AsSpan(0, await phone.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).ToArray();
        using var client = await StreamPeer.ConnectAsync(tcp.Hop.EndPoint);
        var tcpRequest = StreamMessages.Options("decoded-over-tcp");
        await client.SendAsync(tcpRequest);
        var tcpAnswer = await client.ReadMessageAsync();

        var decoded = HepDecoder.Decode(await collector.TakeAsync(4), collector.EndPoint, directory);

        Assert.Equal(4, decoded.Count);
        // Matched by Call-ID and kind, not by position: a response is captured once its send completes, which may
        // be after the peer has read it and sent the next request.
        var phoneEnd = (IPEndPoint)phone.LocalEndPoint!;
        AssertMessage(Find(decoded, "decoded-over-udp", "OPTIONS"), "decoded-over-udp", "OPTIONS", "", phoneEnd, udp.Hop.EndPoint, System.Text.Encoding.ASCII.GetString(udpRequest));
        AssertMessage(Find(decoded, "decoded-over-udp", ""), "decoded-over-udp", "", "200", udp.Hop.EndPoint, phoneEnd, System.Text.Encoding.ASCII.GetString(udpAnswer));
        AssertMessage(Find(decoded, "decoded-over-tcp", "OPTIONS"), "decoded-over-tcp", "OPTIONS", "", client.LocalEndPoint, tcp.Hop.EndPoint, System.Text.Encoding.ASCII.GetString(SipText.Wire(tcpRequest)));
        AssertMessage(Find(decoded, "decoded-over-tcp", ""), "decoded-over-tcp", "", "200", tcp.Hop.EndPoint, client.LocalEndPoint, System.Text.Encoding.ASCII.GetString(SipText.Wire(tcpAnswer)));
    }

    private static DecodedSip Find(IReadOnlyList<DecodedSip> decoded, string callId, string method) =>
        Assert.Single(decoded, message => message.CallId == callId && message.Method == method);

    private static void AssertMessage(DecodedSip decoded, string callId, string method, string status, IPEndPoint source, IPEndPoint destination, string wire)
    {
        Assert.Equal(callId, decoded.CallId);
        Assert.Equal(method, decoded.Method);
        Assert.Equal(status, decoded.Status);
        if (decoded.Payload.Length > 0)
        {
            Assert.Equal(source.Address.ToString(), decoded.Source);
            Assert.Equal(source.Port, decoded.SourcePort);
            Assert.Equal(destination.Address.ToString(), decoded.Destination);
            Assert.Equal(destination.Port, decoded.DestinationPort);
            Assert.Equal(wire, decoded.Payload);
        }
    }
}
