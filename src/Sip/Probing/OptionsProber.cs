using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Probing;

/// <summary>
/// Sends SIP OPTIONS from a socket of its own and reports whether the server answered within the time-out,
/// and how fast. Any response counts: a server that answers at all is alive. Probes are matched to
/// responses by a number carried in the Via branch, so nothing is parsed into strings. Probes over TCP or TLS
/// go through an outbound-only <see cref="StreamTransport"/> per kind, made on first use, which keeps the
/// connection to each server open between probes.
/// </summary>
public sealed partial class OptionsProber : IAsyncDisposable
{
    private const int ReceiveBufferBytes = SipDefaults.MaxMessageBytes;

    // Responses are matched at once, so handling never goes asynchronous; this only has to be positive.
    private const int StreamMaxPending = 16;

    private static ReadOnlySpan<byte> BranchPrefix => "z9hG4bKprobe"u8;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<int>> pending = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly string sentBy;
    private readonly string streamSentBy;
    private readonly string instanceTag = Guid.NewGuid().ToString("N")[..12];
    private readonly Task receiveLoop;
    private readonly StreamTransportOptions streamOptions;
    private readonly SipMetrics metrics;
    private readonly ISipCapture? capture;
    private readonly ProductName product;
    private readonly bool ownsMetrics;
    private readonly StreamResponses streamResponses;
    private readonly Lock streamsLock = new();
    private StreamTransport? tcp;
    private StreamTransport? tls;
    private long nextProbe;

    private OptionsProber(Socket socket, ILogger logger, TimeProvider timeProvider, StreamTransportOptions streamOptions, SipMetrics metrics, bool ownsMetrics, ISipCapture? capture, string? advertisedHost, ProductName product)
    {
        this.capture = capture;
        this.product = product;
        this.socket = socket;
        this.logger = logger;
        this.timeProvider = timeProvider;
        this.streamOptions = streamOptions;
        this.metrics = metrics;
        this.ownsMetrics = ownsMetrics;
        streamResponses = new StreamResponses(this);
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var host = advertisedHost ?? local.Address.ToString();

        // Stream probes leave from a new port per connection and are answered over it, so their Via names the address only.
        streamSentBy = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        sentBy = $"{streamSentBy}:{local.Port}";
        LocalEndPoint = local;
        receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <param name="localAddress">The address servers see probes come from; the port is chosen by the system.</param>
    /// <remarks>Probes over TCP and TLS use default <see cref="StreamTransportOptions"/> (TLS servers checked against the system store).</remarks>
    public static OptionsProber Bind(IPAddress localAddress, ILogger<OptionsProber> logger, TimeProvider timeProvider) =>
        Bind(localAddress, new StreamTransportOptions(), null, logger, timeProvider);

    /// <param name="localAddress">The address servers see probes come from; the port is chosen by the system.</param>
    /// <param name="streamOptions">Connect time-out, limits and TLS client settings of probes over TCP and TLS.</param>
    /// <param name="metrics">Where the probe connections are counted; null keeps the counts to the prober.</param>
    /// <param name="capture">Sees every probe and every answer; null captures nothing.</param>
    /// <param name="advertisedHost">The host probes name in Via and From instead of <paramref name="localAddress"/>, which names nobody when it is every address.</param>
    /// <param name="product">Names the proxy in the probes' User-Agent header; null is <see cref="ProductName.Default"/>.</param>
    public static OptionsProber Bind(IPAddress localAddress, StreamTransportOptions streamOptions, SipMetrics? metrics, ILogger<OptionsProber> logger, TimeProvider timeProvider, ISipCapture? capture = null, string? advertisedHost = null, ProductName? product = null)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(streamOptions);
        streamOptions.Validate();
        var socket = new Socket(localAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new OptionsProber(socket, logger, timeProvider, streamOptions, metrics ?? new SipMetrics(), ownsMetrics: metrics is null, capture, advertisedHost, product ?? ProductName.Default);
    }

    /// <summary>Probes over <paramref name="transport"/>. Over TCP or TLS a connection that cannot be opened counts as no answer at once.</summary>
    public Task<OptionsProbeResult> ProbeAsync(IPEndPoint target, SipTransportKind transport, TimeSpan timeout, CancellationToken cancellationToken) =>
        transport == SipTransportKind.Udp ? ProbeAsync(target, timeout, cancellationToken) : ProbeStreamAsync(target, transport, timeout, cancellationToken);

    public async Task<OptionsProbeResult> ProbeAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextProbe);
        var answered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answered;
        var started = timeProvider.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            var length = WriteOptions(buffer, target, id, "UDP", sentBy, ";rport");
            try
            {
                await socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
                capture?.OnSent(buffer.AsSpan(0, length), SipTransportKind.Udp, LocalEndPoint, target);
            }
            catch (SocketException)
            {
                // Unreachable right now is the same as no answer: the time-out decides, not the first error.
            }

            var status = await answered.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return new OptionsProbeResult(true, status, timeProvider.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is TimeoutException or ObjectDisposedException)
        {
            // Disposed: the node is stopping, and a probe that cannot be sent was not answered.
            return new OptionsProbeResult(false, 0, timeProvider.GetElapsedTime(started));
        }
        finally
        {
            pending.TryRemove(id, out _);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        socket.Dispose();
        await receiveLoop.ConfigureAwait(false);
        StreamTransport? tcpToClose;
        StreamTransport? tlsToClose;
        lock (streamsLock)
        {
            (tcpToClose, tcp) = (tcp, null);
            (tlsToClose, tls) = (tls, null);
        }

        if (tcpToClose is not null)
        {
            await tcpToClose.DisposeAsync().ConfigureAwait(false);
        }

        if (tlsToClose is not null)
        {
            await tlsToClose.DisposeAsync().ConfigureAwait(false);
        }

        if (ownsMetrics)
        {
            metrics.Dispose();
        }

        stopping.Dispose();
    }

    private async Task<OptionsProbeResult> ProbeStreamAsync(IPEndPoint target, SipTransportKind kind, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextProbe);
        var answered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answered;
        var started = timeProvider.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(1024);

        // One deadline for connecting, sending and the answer: a probe never takes longer than its time-out.
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var transport = StreamFor(kind);
            var length = WriteOptions(buffer, target, id, kind == SipTransportKind.Tls ? "TLS" : "TCP", streamSentBy, string.Empty);
            if (!await transport.SendAsync(buffer.AsMemory(0, length), target, probe.Token).ConfigureAwait(false))
            {
                return new OptionsProbeResult(false, 0, timeProvider.GetElapsedTime(started));
            }

            var status = await answered.Task.WaitAsync(probe.Token).ConfigureAwait(false);
            return new OptionsProbeResult(true, status, timeProvider.GetElapsedTime(started));
        }
        catch (Exception ex) when ((ex is OperationCanceledException && !cancellationToken.IsCancellationRequested) || ex is ObjectDisposedException)
        {
            // Disposed: the node is stopping, and a probe that cannot be sent was not answered.
            return new OptionsProbeResult(false, 0, timeProvider.GetElapsedTime(started));
        }
        finally
        {
            pending.TryRemove(id, out _);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private StreamTransport StreamFor(SipTransportKind kind)
    {
        lock (streamsLock)
        {
            ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
            ref var transport = ref kind == SipTransportKind.Tls ? ref tls : ref tcp;
            if (transport is null)
            {
                transport = StreamTransport.CreateClient(kind, LocalEndPoint.Address, streamOptions, logger, metrics, capture);
                transport.Start(streamResponses, StreamMaxPending);
            }

            return transport;
        }
    }

    private int WriteOptions(Span<byte> destination, IPEndPoint target, long id, string transport, string via, string viaParameters)
    {
        var host = target.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{target.Address}]" : target.Address.ToString();
        Utf8.TryWrite(
            destination,
            $"OPTIONS sip:{host}:{target.Port} SIP/2.0\r\nVia: SIP/2.0/{transport} {via};branch=z9hG4bKprobe{id:x}{viaParameters}\r\nMax-Forwards: 70\r\nFrom: <sip:orleans-proxy@{via}>;tag={instanceTag}\r\nTo: <sip:{host}:{target.Port}>\r\nCall-ID: probe-{id:x}-{instanceTag}\r\nCSeq: {id % int.MaxValue} OPTIONS\r\nAccept: application/sdp\r\n",
            out var written);
        var userAgent = product.UserAgentLine.Span;
        userAgent.CopyTo(destination[written..]);
        written += userAgent.Length;
        var end = "Content-Length: 0\r\n\r\n"u8;
        end.CopyTo(destination[written..]);
        return written + end.Length;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        var message = new SipMessage();
        var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer.AsMemory(0, ReceiveBufferBytes), SocketFlags.None, any, stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    LogSocketFailed(logger, ex.SocketErrorCode);
                    continue;
                }

                capture?.OnReceived(buffer.AsSpan(0, received.ReceivedBytes), SipTransportKind.Udp, LocalEndPoint, (IPEndPoint)received.RemoteEndPoint);
                Complete(buffer.AsMemory(0, received.ReceivedBytes), message, received.RemoteEndPoint);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Complete(ReadOnlyMemory<byte> data, SipMessage message, EndPoint source)
    {
        if (!SipParser.TryParse(data, message, SipParseLimits.Default) || message.IsRequest || !TryGetProbeId(message, out var id))
        {
            LogUnmatched(logger, source);
            return;
        }

        // A provisional response already proves the server alive.
        if (pending.TryGetValue(id, out var answered))
        {
            answered.TrySetResult(message.StatusCode);
        }
    }

    private static bool TryGetProbeId(SipMessage response, out long id)
    {
        id = 0;
        if (!response.TopViaBranch.IsPresent)
        {
            return false;
        }

        var branch = response[response.TopViaBranch];
        return branch.StartsWith(BranchPrefix)
            && long.TryParse(branch[BranchPrefix.Length..], System.Globalization.NumberStyles.AllowHexSpecifier, null, out id);
    }

    /// <summary>Receives the answers to probes sent over TCP and TLS.</summary>
    private sealed class StreamResponses(OptionsProber prober) : ISipMessageHandler
    {
        private readonly SipMessagePool messages = new(maxIdle: 4);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            var message = messages.Rent();
            try
            {
                prober.Complete(data, message, source);
            }
            finally
            {
                messages.Return(message);
            }

            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(EventId = SipLogEvents.ProbeSocketFailed, Level = LogLevel.Debug, Message = "Probe socket receive failed: {Error}")]
    private static partial void LogSocketFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = SipLogEvents.ProbeResponseUnmatched, Level = LogLevel.Debug, Message = "Message from {Source} on the probe socket matches no probe; ignored")]
    private static partial void LogUnmatched(ILogger logger, EndPoint source);
}
