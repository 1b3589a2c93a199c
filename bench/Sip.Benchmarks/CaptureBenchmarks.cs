using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// What HEP capture costs: on the SIP path (capture off is a null check; on, a pooled copy and a queue offer while
/// the sender runs on another thread), and in the background (encoding one packet).
/// </summary>
[MemoryDiagnoser]
public class CaptureBenchmarks : IDisposable
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.33"), 5062);
    private static readonly IPEndPoint Proxy = new(IPAddress.Parse("198.51.100.1"), 5060);

    private readonly byte[] packet = new byte[HepEncoder.MaxPacketBytes];
    private Socket sink = null!;
    private SipMetrics metrics = null!;
    private HepSender sender = null!;
    private ISipCapture? off;

    [GlobalSetup]
    public void Start()
    {
        // A collector that never reads: the kernel drops what overflows its buffer, sends still succeed.
        sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        metrics = new SipMetrics();
        sender = new HepSender(new HepSenderOptions { Collector = (IPEndPoint)sink.LocalEndPoint!, CaptureId = 1 }, metrics, NullLogger.Instance);
        sender.Start();

        // What each transport holds when capture is off: the benchmark measures the null check it then pays.
        off = null;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        sender.DisposeAsync().AsTask().GetAwaiter().GetResult();
        sink.Dispose();
        metrics.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public void CaptureOff() => off?.OnReceived(BenchmarkMessages.Invite, SipTransportKind.Udp, Proxy, Phone);

    [Benchmark]
    public void CaptureOnEnqueue() => sender.OnReceived(BenchmarkMessages.Invite, SipTransportKind.Udp, Proxy, Phone);

    [Benchmark]
    public int EncodeInvite() => HepEncoder.Write(packet, BenchmarkMessages.Invite, SipTransportKind.Udp, Phone, Proxy, 1_700_000_000_000_005, 1);
}
