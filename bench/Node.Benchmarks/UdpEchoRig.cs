using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Node.Benchmarks;

/// <summary>
/// A caller socket and two echo servers on loopback: the proxy's <see cref="UdpListener"/> with a handler that sends
/// each message back, and a bare socket doing the same in one receive loop.
/// </summary>
internal sealed class UdpEchoRig : IAsyncDisposable
{
    private const int ConcurrentReceives = 8;
    private static readonly TimeSpan LostDatagram = TimeSpan.FromSeconds(5);

    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(
        "INVITE sip:service@127.0.0.1:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-5161-1-0\r\n" +
        "From: sipp <sip:sipp@127.0.0.1:5061>;tag=5161SIPpTag001\r\n" +
        "To: service <sip:service@127.0.0.1:5060>\r\n" +
        "Call-ID: 1-5161@127.0.0.1\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:sipp@127.0.0.1:5061;transport=UDP>\r\n" +
        "Max-Forwards: 70\r\n" +
        "Subject: OrleansProxy benchmark\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 129\r\n\r\n" +
        "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");

    private readonly byte[] answer = new byte[2048];
    private readonly byte[] echoBuffer = new byte[2048];
    private readonly IPEndPoint anyPeer = new(IPAddress.Any, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly SipMetrics metrics = new();
    private readonly Socket caller = BoundSocket();
    private readonly Socket bareEcho = BoundSocket();
    private readonly UdpListener listener;
    private readonly Task bareEchoLoop;
    private CancellationTokenSource lost = new();

    private UdpEchoRig()
    {
        listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        listener.Start(new EchoHandler(), ConcurrentReceives);
        bareEchoLoop = Task.Run(() => EchoAsync(stopping.Token));
    }

    public EndPoint BareEcho => bareEcho.LocalEndPoint!;

    public EndPoint ListenerEcho => listener.Hop.EndPoint;

    public static UdpEchoRig Start() => new();

    public async Task<int> RoundTripAsync(EndPoint target)
    {
        // A lost datagram fails the benchmark instead of hanging it.
        if (!lost.TryReset())
        {
            lost.Dispose();
            lost = new CancellationTokenSource();
        }

        lost.CancelAfter(LostDatagram);
        await caller.SendToAsync(Invite, SocketFlags.None, target, lost.Token);
        var received = await caller.ReceiveFromAsync(answer, SocketFlags.None, anyPeer, lost.Token);
        return received.ReceivedBytes;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        bareEcho.Dispose();
        await bareEchoLoop.ContinueWith(static _ => { }, TaskScheduler.Default);
        caller.Dispose();
        await listener.DisposeAsync();
        metrics.Dispose();
        stopping.Dispose();
        lost.Dispose();
    }

    private static Socket BoundSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task EchoAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await bareEcho.ReceiveFromAsync(echoBuffer, SocketFlags.None, anyPeer, cancellationToken);
            await bareEcho.SendToAsync(echoBuffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint, cancellationToken);
        }
    }

    private sealed class EchoHandler : ISipMessageHandler
    {
        public async ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken) =>
            await transport.SendAsync(data, source, cancellationToken);
    }
}
