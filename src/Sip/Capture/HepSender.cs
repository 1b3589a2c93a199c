using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Capture;

/// <summary>
/// Captures SIP messages to a HEP v3 collector over UDP. The SIP path only copies the message into a pooled buffer
/// and offers it to a bounded queue, which never waits: when the queue is full the message is dropped and counted.
/// One background loop encodes and sends, so a slow or absent collector costs captured messages, never SIP ones.
/// </summary>
public sealed partial class HepSender : ISipCapture, IAsyncDisposable
{
    // Drop reasons, as counted in orleansproxy.capture.dropped.
    private const string DroppedQueueFull = "queue_full";
    private const string DroppedTooLarge = "too_large";
    private const string DroppedSendFailed = "send_failed";
    private const string DroppedStopped = "stopped";

    private const long DropLogIntervalMs = 10_000;
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    private static readonly KeyValuePair<string, object?> QueueFullTag = new("reason", DroppedQueueFull);
    private static readonly KeyValuePair<string, object?> TooLargeTag = new("reason", DroppedTooLarge);
    private static readonly KeyValuePair<string, object?> SendFailedTag = new("reason", DroppedSendFailed);
    private static readonly KeyValuePair<string, object?> StoppedTag = new("reason", DroppedStopped);

    private readonly HepSenderOptions options;
    private readonly SipMetrics metrics;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly Channel<CapturedMessage> queue;
    private readonly Socket socket;
    private readonly byte[] packet = new byte[HepEncoder.MaxPacketBytes];
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;
    private long lastDropLog = long.MinValue / 2;
    private long dropsSinceLog;
    private volatile bool stopped;

    /// <summary>Ready to take messages at once; nothing is sent before <see cref="Start"/>.</summary>
    public HepSender(HepSenderOptions options, SipMetrics metrics, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Collector);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueSize, 1);
        this.options = options;
        this.metrics = metrics;
        this.logger = logger;
        this.timeProvider = timeProvider ?? TimeProvider.System;

        // Wait mode with TryWrite only: a full queue refuses the newest message and leaves it with us to count and return.
        queue = Channel.CreateBounded<CapturedMessage>(new BoundedChannelOptions(options.QueueSize)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });

        // A connected UDP socket sends without naming the collector each time; connecting sends nothing.
        socket = new Socket(options.Collector.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(options.Collector);
    }

    /// <summary>Messages waiting to be sent.</summary>
    public int Queued => queue.Reader.Count;

    public void Start()
    {
        loop = Task.Run(SendLoopAsync);
        LogStarted(logger, options.Collector, options.CaptureId, options.QueueSize);
    }

    public void OnReceived(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint local, IPEndPoint remote) =>
        Enqueue(message, transport, remote, local);

    public void OnSent(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint local, IPEndPoint remote) =>
        Enqueue(message, transport, local, remote);

    public async ValueTask DisposeAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        queue.Writer.TryComplete();

        // What is queued still goes out, for a short while: the last messages before a stop are often the interesting ones.
        try
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(2), timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The collector is slower than the stop; the rest is dropped below.
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        socket.Dispose();
        await loop.ConfigureAwait(false);
        while (queue.Reader.TryRead(out var left))
        {
            Drop(left.Buffer, StoppedTag, DroppedStopped);
        }

        stopping.Dispose();
    }

    private void Enqueue(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint source, IPEndPoint destination)
    {
        if (message.Length > HepEncoder.MaxPacketBytes)
        {
            Dropped(TooLargeTag, DroppedTooLarge);
            return;
        }

        var copy = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(copy);
        var micros = (timeProvider.GetUtcNow().UtcTicks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond;
        if (!queue.Writer.TryWrite(new CapturedMessage(copy, message.Length, transport, source, destination, micros)))
        {
            Drop(copy, stopped ? StoppedTag : QueueFullTag, stopped ? DroppedStopped : DroppedQueueFull);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = queue.Reader;
        var token = stopping.Token;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    try
                    {
                        await SendAsync(item, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping; DisposeAsync returns what is left in the queue.
        }
    }

    private async ValueTask SendAsync(CapturedMessage item, CancellationToken token)
    {
        var length = HepEncoder.Write(packet, item.Buffer.AsSpan(0, item.Length), item.Transport, item.Source, item.Destination, item.UnixMicroseconds, options.CaptureId);
        if (length == 0)
        {
            Dropped(TooLargeTag, DroppedTooLarge);
            return;
        }

        try
        {
            await socket.SendAsync(packet.AsMemory(0, length), SocketFlags.None, token).ConfigureAwait(false);
            metrics.CaptureSent.Add(1);
        }
        catch (SocketException ex)
        {
            // A collector that is down answers with ICMP, which surfaces on a later send; the next one may work.
            Dropped(SendFailedTag, $"{DroppedSendFailed} ({ex.SocketErrorCode})");
        }
    }

    private void Drop(byte[] buffer, KeyValuePair<string, object?> tag, string reason)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        Dropped(tag, reason);
    }

    private void Dropped(KeyValuePair<string, object?> tag, string reason)
    {
        metrics.CaptureDropped.Add(1, tag);

        // At most one line per interval: a collector that is away would otherwise flood the log at the call rate.
        var drops = Interlocked.Increment(ref dropsSinceLog);
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref lastDropLog);
        if (now - last >= DropLogIntervalMs && Interlocked.CompareExchange(ref lastDropLog, now, last) == last)
        {
            Interlocked.Add(ref dropsSinceLog, -drops);
            LogDropped(logger, drops, options.Collector, reason);
        }
    }

    [LoggerMessage(EventId = SipLogEvents.CaptureStarted, Level = LogLevel.Information, Message = "Capturing SIP to HEP collector {Collector} as capture id {CaptureId}, at most {QueueSize} messages queued")]
    private static partial void LogStarted(ILogger logger, IPEndPoint collector, uint captureId, int queueSize);

    [LoggerMessage(EventId = SipLogEvents.CaptureDropped, Level = LogLevel.Warning, Message = "{Count} captured messages for {Collector} dropped, the last one: {Reason}")]
    private static partial void LogDropped(ILogger logger, long count, IPEndPoint collector, string reason);
}
