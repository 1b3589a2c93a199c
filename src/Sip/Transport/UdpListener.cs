using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// One bound UDP socket with one receive loop. Each datagram is copied into a pooled buffer of its own size
/// (receiving straight into pooled buffers of the largest datagram would hold 64 KB for each message whose handling
/// waits on the resolver) and handed to the handler on the loop itself, so messages that need nothing slow (responses, local answers)
/// leave in the order they came: several loops on one socket would let a 200 overtake its 180. A message whose
/// handling goes asynchronous (a request waiting on the target resolver) finishes in the background, with at
/// most <c>maxPending</c> such messages at once, so a slow resolver cannot hold up the socket or grow memory
/// without bound. The loop survives any single bad datagram or failing handler.
/// </summary>
/// <remarks>
/// The loop is a thread of its own blocked in <c>recvfrom</c>, and sends are plain <c>sendto</c> calls: the kernel
/// wakes the loop itself when a datagram arrives. An asynchronous receive would wake the runtime's socket thread, which
/// then wakes a thread-pool thread to run the loop: two thread hand-offs per datagram, the largest cost in the profile
/// (bench/README.md, "Where the time goes"). A UDP send does not wait for the peer, so a blocking one returns at once.
/// No asynchronous operation may run on this socket: the first would turn it non-blocking for good. Given a
/// <see cref="ReceiveQueueDelay"/> to report to, the loop receives with <c>recvmsg</c> and the kernel's arrival
/// timestamps (<see cref="TimestampedReceive"/>), still one blocking call per datagram.
/// </remarks>
public sealed partial class UdpListener : ISipTransport, IAsyncDisposable
{
    // The largest UDP payload: a datagram is never cut short by our buffer.
    private const int ReceiveBufferBytes = SipDefaults.MaxMessageBytes;

    private static readonly KeyValuePair<string, object?> SendFailedTag = new("reason", "send_failed");
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;
    private readonly ISipCapture? capture;
    private readonly ReceiveQueueDelay? queueDelay;
    private readonly CancellationTokenSource stopping = new();
    private readonly DestinationAddressCache destinations = new();
    private readonly TaskCompletionSource loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SemaphoreSlim? pending;
    private int maxPending;
    private bool started;

    private UdpListener(Socket socket, ILogger logger, SipMetrics metrics, ISipCapture? capture, AdvertisedAddress? advertised, ReceiveQueueDelay? queueDelay)
    {
        this.socket = socket;
        this.logger = logger;
        this.metrics = metrics;
        this.capture = capture;
        this.queueDelay = queueDelay;
        Hop = new LocalHop(SipTransportKind.Udp, (IPEndPoint)socket.LocalEndPoint!, advertised);
    }

    public LocalHop Hop { get; }

    /// <summary>Binds at once, so that a port in use fails start-up with a clear error before anything runs.</summary>
    /// <param name="capture">Sees every datagram received and sent; null captures nothing.</param>
    /// <param name="advertised">The name Via and Record-Route give this listener; null names the bound address.</param>
    /// <param name="queueDelay">Told how long each datagram waited in the socket's receive queue; null measures nothing.</param>
    public static UdpListener Bind(IPEndPoint endPoint, ILogger logger, SipMetrics metrics, ISipCapture? capture = null, AdvertisedAddress? advertised = null, ReceiveQueueDelay? queueDelay = null)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            socket.Bind(endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new UdpListener(socket, logger, metrics, capture, advertised, queueDelay);
    }

    /// <param name="maxPending">How many messages may wait on asynchronous handling at once before the loop waits for one to finish.</param>
    public void Start(ISipMessageHandler handler, int maxPending)
    {
        this.maxPending = maxPending;
        pending = new SemaphoreSlim(maxPending, maxPending);
        var slots = pending;
        var receiver = new Thread(() => ReceiveLoop(handler, slots, stopping.Token))
        {
            IsBackground = true,
            Name = "SIP UDP receive",
        };
        started = true;
        receiver.Start();
        LogStarted(logger, Hop, maxPending);
    }

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        try
        {
            socket.SendTo(message.Span, SocketFlags.None, destinations.Get(destination));
            capture?.OnSent(message.Span, SipTransportKind.Udp, Hop.EndPoint, destination);
            return ValueTask.FromResult(true);
        }
        catch (SocketException ex)
        {
            metrics.MessagesDropped.Add(1, SendFailedTag);
            LogSendFailed(logger, destination, ex.SocketErrorCode);
            return ValueTask.FromResult(false);
        }
        catch (ObjectDisposedException)
        {
            // Stopping: the listener closed while a response was on its way.
            return ValueTask.FromResult(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        // Closing the socket wakes the loop blocked in its receive.
        socket.Dispose();
        if (started)
        {
            await loopEnded.Task.ConfigureAwait(false);
        }

        // Handlers still running were cancelled; each returns its slot and buffer.
        if (pending is not null && !await HandlerDispatch.DrainAsync(pending, maxPending).ConfigureAwait(false))
        {
            LogDrainIncomplete(logger, Hop);
        }

        stopping.Dispose();
        LogStopped(logger, Hop);
    }

    private void ReceiveLoop(ISipMessageHandler handler, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);

        // The sender is read into one address for the whole loop; its IPEndPoint comes from the cache, not one per datagram.
        var sender = new SocketAddress(socket.AddressFamily);
        var sources = new SourceEndPointCache();
        var timestamped = queueDelay is null ? null : TimestampedReceive.TryStart(socket, buffer, ReceiveBufferBytes, sender);
        var standing = new StandingQueueDelay();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = timestamped is null ? socket.ReceiveFrom(buffer.AsSpan(0, ReceiveBufferBytes), SocketFlags.None, sender) : ReceiveTimestamped(timestamped, standing);
                    if (length < 0)
                    {
                        continue;
                    }

                    slots.Wait(cancellationToken);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    // ICMP errors from earlier sends surface here on some platforms; the socket is still usable.
                    LogReceiveFailed(logger, Hop, ex.SocketErrorCode);
                    continue;
                }

                var datagram = ArrayPool<byte>.Shared.Rent(length);
                buffer.AsSpan(0, length).CopyTo(datagram);
                var source = sources.Get(sender);

                // Before the handler: it owns the copy from then on and may have returned it by the time it returns.
                capture?.OnReceived(datagram.AsSpan(0, length), SipTransportKind.Udp, Hop.EndPoint, source);
                HandlerDispatch.Run(handler, datagram, length, source, this, slots, logger, metrics, cancellationToken);
            }
        }
        finally
        {
            timestamped?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            loopEnded.SetResult();
        }
    }

    /// <returns>The datagram's length; negative when the receive failed (logged, the socket still usable).</returns>
    private int ReceiveTimestamped(TimestampedReceive timestamped, StandingQueueDelay standing)
    {
        var length = timestamped.Receive(out var arrivedAt);
        if (length < 0)
        {
            LogReceiveFailedErrno(logger, Hop, -length);
        }
        else if (arrivedAt != 0)
        {
            // The kernel stamps arrivals with the real-time clock, so the wait is measured on it too.
            var now = DateTime.UtcNow.Ticks - UnixEpochTicks;
            if (standing.Add(new TimeSpan(now - arrivedAt), now))
            {
                queueDelay!.Record(standing.Standing);
            }
        }

        return length;
    }

    [LoggerMessage(EventId = SipLogEvents.ListenerStarted, Level = LogLevel.Information, Message = "Listening on {Hop}, at most {Pending} messages in asynchronous handling at once")]
    private static partial void LogStarted(ILogger logger, LocalHop hop, int pending);

    [LoggerMessage(EventId = SipLogEvents.ListenerStopped, Level = LogLevel.Information, Message = "Stopped listening on {Hop}")]
    private static partial void LogStopped(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.DrainIncomplete, Level = LogLevel.Warning, Message = "Stopped {Hop} with messages still being handled after 5 s")]
    private static partial void LogDrainIncomplete(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.ReceiveFailed, Level = LogLevel.Debug, Message = "Receive on {Hop} failed: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, LocalHop hop, SocketError error);

    [LoggerMessage(EventId = SipLogEvents.ReceiveFailed, Level = LogLevel.Debug, Message = "Receive on {Hop} failed: errno {Errno}")]
    private static partial void LogReceiveFailedErrno(ILogger logger, LocalHop hop, int errno);

    [LoggerMessage(EventId = SipLogEvents.SendFailed, Level = LogLevel.Warning, Message = "Send to {Destination} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, IPEndPoint destination, SocketError error);
}
