using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Capture;

public sealed class HepSenderTests : IDisposable
{
    private static readonly IPEndPoint Phone = IPEndPoint.Parse("127.0.0.2:5062");
    private static readonly IPEndPoint Proxy = IPEndPoint.Parse("127.0.0.1:5060");

    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;
    private readonly HepCollector collector = new();

    public HepSenderTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        collector.Dispose();
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task OnReceived_Started_SendsThePacketWithBothEndsAndCountsIt()
    {
        await using var sender = Create(queueSize: 16);
        sender.Start();

        sender.OnReceived(Options("received-1"), SipTransportKind.Udp, Proxy, Phone);
        sender.OnSent(Options("sent-1"), SipTransportKind.Tcp, Proxy, Phone);

        var received = HepPacket.Parse(await collector.NextAsync());
        var sent = HepPacket.Parse(await collector.NextAsync());
        Assert.Equal("received-1", received.CorrelationId);
        Assert.Equal(Phone.Address.GetAddressBytes(), received.Chunk(0x0003));
        Assert.Equal(Proxy.Address.GetAddressBytes(), received.Chunk(0x0004));
        Assert.Equal([17], received.Chunk(0x0002));
        Assert.Equal("sent-1", sent.CorrelationId);
        Assert.Equal(Proxy.Address.GetAddressBytes(), sent.Chunk(0x0003));
        Assert.Equal(Phone.Address.GetAddressBytes(), sent.Chunk(0x0004));
        Assert.Equal([6], sent.Chunk(0x0002));
        Assert.Equal(System.Text.Encoding.ASCII.GetString(Options("sent-1")), sent.Payload);
        Assert.Equal([0, 0, 0, 9], sent.Chunk(0x000c));
        await Eventually.Holds(() => recorded.Total("orleansproxy.capture.sent") == 2, "both messages sent to the collector");
    }

    [Fact]
    public async Task OnReceived_QueueFull_DropsAndCountsWithoutWaiting()
    {
        const int QueueSize = 8;
        const int Offered = 1_000;
        await using var sender = Create(QueueSize);
        var message = Options("flood");

        // Not started: nothing leaves the queue, so an offer that waited for room would never return; every offer
        // past the bound must be refused and counted instead.
        for (var i = 0; i < Offered; i++)
        {
            sender.OnReceived(message, SipTransportKind.Udp, Proxy, Phone);
        }

        Assert.Equal(QueueSize, sender.Queued);
        Assert.Equal(Offered - QueueSize, recorded.Sum("orleansproxy.capture.dropped", "reason", "queue_full"));

        sender.Start();
        Assert.Equal(QueueSize, (await collector.TakeAsync(QueueSize)).Count);
        Assert.True(await collector.StaysQuietAsync(TimeSpan.FromMilliseconds(200)));
        await Eventually.Holds(() => recorded.Total("orleansproxy.capture.sent") == QueueSize, "a full queue sent");
    }

    [Fact]
    public async Task OnSent_MessageTooLargeForADatagram_IsDroppedAndCounted()
    {
        await using var sender = Create(queueSize: 4);
        sender.Start();

        sender.OnSent(new byte[HepEncoder.MaxPacketBytes - 10], SipTransportKind.Tcp, Proxy, Phone);
        sender.OnSent(new byte[HepEncoder.MaxPacketBytes + 10], SipTransportKind.Tcp, Proxy, Phone);

        await recorded.WaitForAsync("orleansproxy.capture.dropped", "reason", "too_large");
        await Eventually.Holds(() => recorded.Sum("orleansproxy.capture.dropped", "reason", "too_large") == 2, "both oversized messages dropped as too_large");
        Assert.True(await collector.StaysQuietAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Send_CollectorGone_CountsFailuresAndKeepsSending()
    {
        // A port nobody listens on: loopback answers with ICMP port unreachable, which surfaces on a later send.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var nobody = (IPEndPoint)closed.LocalEndPoint!;
        closed.Close();
        await using var sender = new HepSender(new HepSenderOptions { Collector = nobody, QueueSize = 64 }, metrics, NullLogger.Instance);
        sender.Start();

        for (var i = 0; i < 20; i++)
        {
            sender.OnSent(Options("lost"), SipTransportKind.Udp, Proxy, Phone);
            await Task.Delay(5);
        }

        await recorded.WaitForAsync("orleansproxy.capture.dropped", "reason", "send_failed");
        await Eventually.Holds(() => recorded.Total("orleansproxy.capture.sent") + recorded.Sum("orleansproxy.capture.dropped", "reason", "send_failed") == 20, "every message sent or dropped as send_failed");
    }

    [Fact]
    public async Task DisposeAsync_MessagesQueued_SendsThemFirst()
    {
        var sender = Create(queueSize: 16);
        for (var i = 0; i < 5; i++)
        {
            sender.OnReceived(Options("last-words"), SipTransportKind.Udp, Proxy, Phone);
        }

        sender.Start();
        await sender.DisposeAsync();
        sender.OnReceived(Options("after-stop"), SipTransportKind.Udp, Proxy, Phone);

        Assert.Equal(5, (await collector.TakeAsync(5)).Count);
        Assert.Equal(1, recorded.Sum("orleansproxy.capture.dropped", "reason", "stopped"));
    }

    private HepSender Create(int queueSize) =>
        new(new HepSenderOptions { Collector = collector.EndPoint, CaptureId = 9, QueueSize = queueSize }, metrics, NullLogger.Instance);

    private static byte[] Options(string callId) => SipText.Wire(Transport.StreamMessages.Options(callId));
}
