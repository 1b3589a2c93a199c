using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// SIP over TCP or TLS: a listening socket (unless outbound-only), one read loop per connection, and a table of
/// connections by remote endpoint, so a response to a request goes back over the connection the request came on
/// (RFC 3261 §18.2.2) and a send to a peer reuses the open connection or opens one. Messages are framed by
/// Content-Length and handed to the handler like <see cref="UdpListener"/> does, in order per connection. A
/// connection whose framing fails is answered (best effort) and closed, since its message boundaries are lost; every
/// other connection goes on. Limits on connections, idle time, stalled writes and message size are logged and counted when hit.
/// </summary>
public sealed partial class StreamTransport : ISipTransport, IAsyncDisposable
{
    private const int ListenBacklog = 512;

    // Close reasons, as counted in orleansproxy.sip.connections.closed.
    private const string ClosedIdle = "idle";
    private const string ClosedByPeer = "peer_closed";
    private const string ClosedMalformed = "malformed";
    private const string ClosedSendFailed = "send_failed";
    private const string ClosedWriteStalled = "write_stalled";
    private const string ClosedTlsFailed = "tls_failed";
    private const string ClosedStopping = "stopping";

    // Refusals, as counted in orleansproxy.sip.connections.refused.
    private const string RefusedMaxConnections = "max_connections";
    private const string RefusedMaxPerPeer = "max_per_peer";

    private static readonly TimeSpan AcceptBackOff = TimeSpan.FromMilliseconds(50);
    private static readonly byte[] Pong = "\r\n"u8.ToArray();
    private static readonly KeyValuePair<string, object?> InboundTag = new("direction", "inbound");
    private static readonly KeyValuePair<string, object?> OutboundTag = new("direction", "outbound");
    private static readonly KeyValuePair<string, object?> SendFailedTag = new("reason", "send_failed");
    private static readonly KeyValuePair<string, object?> TruncatedTag = new("reason", "truncated");
    private static readonly KeyValuePair<string, object?> MalformedUnanswerableTag = new("reason", "malformed_request_unanswerable");

    private readonly SipTransportKind kind;
    private readonly Socket? listener;
    private readonly IPAddress outboundAddress;
    private readonly StreamTransportOptions options;
    private readonly SipParseLimits limits;
    private readonly TlsAuthentication? tls;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;
    private readonly ISipCapture? capture;
    private readonly KeyValuePair<string, object?> transportTag;
    private readonly ConcurrentDictionary<IPEndPoint, StreamConnection> connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, Lazy<Task<StreamConnection?>>> connecting = new();
    private readonly Lock limitsLock = new();
    private readonly Dictionary<IPAddress, int> connectionsPerPeer = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationToken stoppingToken;
    private int connectionCount;
    private ISipMessageHandler? handler;
    private SemaphoreSlim? pending;
    private int maxPending;
    private ITimer? sweeper;
    private Task acceptLoop = Task.CompletedTask;
    private int disposed;

    private StreamTransport(SipTransportKind kind, Socket? listener, LocalHop hop, StreamTransportOptions options, ILogger logger, SipMetrics metrics, ISipCapture? capture)
    {
        this.kind = kind;
        this.capture = capture;
        this.listener = listener;
        this.options = options;
        this.logger = logger;
        this.metrics = metrics;
        outboundAddress = hop.EndPoint.Address;
        limits = SipParseLimits.Default with { MaxMessageBytes = options.MaxMessageBytes };
        transportTag = new("transport", kind == SipTransportKind.Tls ? "tls" : "tcp");
        stoppingToken = stopping.Token;
        Hop = hop;
        if (kind == SipTransportKind.Tls)
        {
            tls = new TlsAuthentication(options.TlsServer, options.TlsClient);
            if (options.TlsClient?.SkipCertificateValidation == true)
            {
                LogValidationSkipped(logger, Hop);
            }
        }
    }

    /// <summary>
    /// For a listener, the listening endpoint. For an outbound-only transport, the local address with port 0: each
    /// connection leaves from a port of its own, and answers come back over that connection, not to a listening port.
    /// </summary>
    public LocalHop Hop { get; }

    /// <summary>
    /// A connection closed while the transport runs (by the peer, a broken send, a limit or bad framing), so requests
    /// sent over it can get no response on it. Raised on the closing thread; handlers must be quick and not throw.
    /// </summary>
    public event Action<ISipTransport, IPEndPoint>? ConnectionLost;

    /// <summary>Open connections, inbound and outbound, that carry SIP now (handshakes in progress excluded).</summary>
    public int ConnectionCount => connections.Count;

    /// <summary>Binds and listens at once, so that a port in use fails start-up with a clear error before anything runs.</summary>
    /// <exception cref="ArgumentException">UDP asked for, a bound that cannot work, or TLS without <see cref="StreamTransportOptions.TlsServer"/>.</exception>
    /// <param name="capture">Sees every message received and sent, decrypted for TLS; null captures nothing.</param>
    /// <param name="advertised">The name Via and Record-Route give this listener; null names the bound address.</param>
    public static StreamTransport Bind(SipTransportKind kind, IPEndPoint endPoint, StreamTransportOptions options, ILogger logger, SipMetrics metrics, ISipCapture? capture = null, AdvertisedAddress? advertised = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        RequireStream(kind);
        options.Validate();
        if (kind == SipTransportKind.Tls && options.TlsServer is null)
        {
            throw new ArgumentException("A TLS listener needs StreamTransportOptions.TlsServer.", nameof(options));
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(endPoint);
            socket.Listen(ListenBacklog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new StreamTransport(kind, socket, new LocalHop(kind, (IPEndPoint)socket.LocalEndPoint!, advertised), options, logger, metrics, capture);
    }

    /// <summary>An outbound-only transport: no listening socket; connections leave from <paramref name="localAddress"/> (any address: the system chooses).</summary>
    /// <param name="capture">Sees every message received and sent, decrypted for TLS; null captures nothing.</param>
    public static StreamTransport CreateClient(SipTransportKind kind, IPAddress localAddress, StreamTransportOptions options, ILogger logger, SipMetrics metrics, ISipCapture? capture = null)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(options);
        RequireStream(kind);
        options.Validate();
        return new StreamTransport(kind, null, new LocalHop(kind, new IPEndPoint(localAddress, 0)), options, logger, metrics, capture);
    }

    /// <summary>Starts accepting (for a listener) and reading. Must come before the first send: answers arrive through <paramref name="handler"/>.</summary>
    /// <param name="maxPending">How many messages may wait on asynchronous handling at once, over all connections, before reading waits for one to finish.</param>
    public void Start(ISipMessageHandler handler, int maxPending)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        this.maxPending = maxPending;
        pending = new SemaphoreSlim(maxPending, maxPending);
        this.handler = handler;

        // A quarter of the shorter time-out: an idle or stalled connection lives at most a quarter longer than allowed.
        var shorter = Math.Min(options.IdleTimeout.Ticks, options.WriteTimeout.Ticks);
        var sweep = TimeSpan.FromTicks(Math.Clamp(shorter / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(5).Ticks));
        sweeper = TimeProvider.System.CreateTimer(static state => ((StreamTransport)state!).CloseIdleAndStalled(), this, sweep, sweep);
        if (listener is not null)
        {
            acceptLoop = Task.Run(() => AcceptLoopAsync(listener));
        }

        LogStarted(logger, Hop, maxPending);
    }

    /// <remarks>
    /// A response whose connection is gone, or breaks under it, goes to where its recipient listens (§18.2.2: the
    /// address it came from, the port its Via's sent-by names), not to the port of the moment it came from.
    /// </remarks>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (handler is null)
        {
            throw new InvalidOperationException("Start the transport before sending: answers arrive through its handler.");
        }

        var isResponse = message.Span.StartsWith("SIP/2.0 "u8);
        if (connections.TryGetValue(destination, out var connection))
        {
            return await WriteAsync(connection, message, cancellationToken).ConfigureAwait(false)
                || (isResponse && TryGetListening(message, destination, out var fallback)
                    && await SendOnAsync(message, fallback, cancellationToken).ConfigureAwait(false));
        }

        return isResponse && TryGetListening(message, destination, out var listening)
            ? await SendOnAsync(message, listening, cancellationToken).ConfigureAwait(false)
            : await SendOnAsync(message, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The id of the open connection with <paramref name="remote"/>, so that a flow token can name it (RFC 5626 §5.2)
    /// and a request for that flow can tell whether it is still there; false when there is none.
    /// </summary>
    public bool TryGetConnectionId(IPEndPoint remote, out long connectionId)
    {
        var open = connections.TryGetValue(remote, out var connection);
        connectionId = open ? connection!.Id : 0;
        return open;
    }

    private static bool TryGetListening(ReadOnlyMemory<byte> response, IPEndPoint destination, [NotNullWhen(true)] out IPEndPoint? listening) =>
        ResponseForwarder.TryGetListeningAddress(response, out listening) && !listening.Equals(destination);

    private async ValueTask<bool> SendOnAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (!connections.TryGetValue(destination, out var connection))
        {
            connection = await ConnectOnceAsync(destination).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                metrics.MessagesDropped.Add(1, SendFailedTag);
                return false;
            }
        }

        return await WriteAsync(connection, message, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> WriteAsync(StreamConnection connection, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            capture?.OnSent(message.Span, kind, connection.Local, connection.Remote);
            return true;
        }
        catch (Exception ex) when (IsConnectionFault(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            metrics.MessagesDropped.Add(1, SendFailedTag);
            LogSendFailed(logger, connection.Remote, Hop, ex.Message);
            Close(connection, ClosedSendFailed);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.Dispose();
        sweeper?.Dispose();
        await acceptLoop.ConfigureAwait(false);
        foreach (var (_, connection) in connections)
        {
            Close(connection, ClosedStopping);
        }

        // Handlers still running were cancelled; each returns its slot and buffer.
        if (pending is not null && !await HandlerDispatch.DrainAsync(pending, maxPending).ConfigureAwait(false))
        {
            LogDrainIncomplete(logger, Hop);
        }

        stopping.Dispose();
        LogStopped(logger, Hop);
    }

    private static void RequireStream(SipTransportKind kind)
    {
        if (kind is not (SipTransportKind.Tcp or SipTransportKind.Tls))
        {
            throw new ArgumentException($"A stream transport carries TCP or TLS, not {kind}.", nameof(kind));
        }
    }

    private static bool IsConnectionFault(Exception exception) =>
        exception is IOException or SocketException or ObjectDisposedException or AuthenticationException;

    private async Task AcceptLoopAsync(Socket listening)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(logger, Hop, ex.SocketErrorCode);

                // A peer that reset before we accepted it costs nothing; running out of descriptors would spin without a pause.
                if (ex.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted))
                {
                    await Task.Delay(AcceptBackOff, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            var remote = (IPEndPoint)accepted.RemoteEndPoint!;
            if (!TryReserve(remote, inbound: true))
            {
                accepted.Dispose();
                continue;
            }

            accepted.NoDelay = true;
            var connection = new StreamConnection(accepted, remote, inbound: true);
            Opened(connection);
            _ = Task.Run(() => ServeInboundAsync(connection));
        }
    }

    private async Task ServeInboundAsync(StreamConnection connection)
    {
        if (await TryEstablishAsync(connection).ConfigureAwait(false))
        {
            Register(connection);
            await ReadLoopAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Concurrent sends to a peer with no connection share one attempt, so they open one connection, not one each.</summary>
    private Task<StreamConnection?> ConnectOnceAsync(IPEndPoint destination) =>
        connecting.GetOrAdd(destination, static (target, self) => new Lazy<Task<StreamConnection?>>(() => self.ConnectThenForgetAsync(target)), this).Value;

    private async Task<StreamConnection?> ConnectThenForgetAsync(IPEndPoint destination)
    {
        try
        {
            return await ConnectAsync(destination).ConfigureAwait(false);
        }
        finally
        {
            // No other attempt can join the table under this key while this one is in it, so the key names this one.
            connecting.TryRemove(destination, out _);
        }
    }

    private async Task<StreamConnection?> ConnectAsync(IPEndPoint destination)
    {
        // A connection that beat us to the table (an inbound one from the same endpoint) will do.
        if (connections.TryGetValue(destination, out var existing))
        {
            return existing;
        }

        if (!TryReserve(destination, inbound: false))
        {
            return null;
        }

        var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            if (!outboundAddress.Equals(IPAddress.Any) && !outboundAddress.Equals(IPAddress.IPv6Any) && outboundAddress.AddressFamily == destination.AddressFamily)
            {
                socket.Bind(new IPEndPoint(outboundAddress, 0));
            }

            await socket.ConnectAsync(destination, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            Release(destination.Address);
            LogConnectFailed(logger, destination, Hop, ex is OperationCanceledException ? $"no connection within {options.ConnectTimeout}" : ex.Message);
            return null;
        }

        var connection = new StreamConnection(socket, destination, inbound: false);
        Opened(connection);
        if (!await TryEstablishAsync(connection).ConfigureAwait(false))
        {
            return null;
        }

        Register(connection);
        _ = Task.Run(() => ReadLoopAsync(connection));
        return connection;
    }

    /// <summary>Makes the stream (a TLS handshake bounded by the connect time-out); a failure closes the connection.</summary>
    private async Task<bool> TryEstablishAsync(StreamConnection connection)
    {
        var network = new NetworkStream(connection.Socket, ownsSocket: true);
        if (tls is null)
        {
            connection.Attach(network);
            return true;
        }

        var secure = new SslStream(network, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            if (connection.Inbound)
            {
                await secure.AuthenticateAsServerAsync(tls.ServerOptions(), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await secure.AuthenticateAsClientAsync(tls.ClientOptions(connection.Remote), timeout.Token).ConfigureAwait(false);
            }

            connection.Attach(secure);
            return true;
        }
        catch (Exception ex) when (IsConnectionFault(ex) || ex is OperationCanceledException)
        {
            await secure.DisposeAsync().ConfigureAwait(false);
            LogTlsFailed(logger, connection.Remote, Hop, ex is OperationCanceledException ? $"no handshake within {options.ConnectTimeout}" : ex.Message);
            Close(connection, ClosedTlsFailed);
            return false;
        }
    }

    private async Task ReadLoopAsync(StreamConnection connection)
    {
        var reader = connection.Reader;
        var closing = connection.Closing;
        var reason = ClosedByPeer;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(closing).ConfigureAwait(false);
                connection.Touch();
                var buffer = result.Buffer;
                var framing = SipFrameStatus.Incomplete;
                while (buffer.Length > 0)
                {
                    framing = SipFramer.TryFrame(buffer, limits, out var consumed, out var frame, out var error);
                    if (framing == SipFrameStatus.Message)
                    {
                        await DispatchAsync(frame, connection).ConfigureAwait(false);
                        buffer = buffer.Slice(consumed);
                    }
                    else if (framing == SipFrameStatus.KeepAlive)
                    {
                        var lineBreaks = buffer.Slice(buffer.Start, consumed).Length;

                        // RFC 5626 §3.5.1: a ping is CRLF CRLF. A lone CRLF at the end of what we have may be half of one.
                        if (lineBreaks < 4 && consumed.Equals(buffer.End) && !result.IsCompleted)
                        {
                            break;
                        }

                        buffer = buffer.Slice(consumed);
                        for (var pings = lineBreaks / 4; pings > 0; pings--)
                        {
                            await connection.WriteAsync(Pong, closing).ConfigureAwait(false);
                        }
                    }
                    else if (framing == SipFrameStatus.Malformed)
                    {
                        reason = ClosedMalformed;
                        await RejectMalformedAsync(connection, buffer, error).ConfigureAwait(false);
                        return;
                    }
                    else
                    {
                        break;
                    }
                }

                if (result.IsCompleted)
                {
                    if (framing == SipFrameStatus.Incomplete && buffer.Length > 0)
                    {
                        metrics.MessagesDropped.Add(1, TruncatedTag);
                        LogTruncated(logger, connection.Remote, Hop, buffer.Length);
                    }

                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsConnectionFault(ex))
        {
            // Closed by us (reason already recorded) or reset by the peer.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            Close(connection, reason);
        }
    }

    private async ValueTask DispatchAsync(ReadOnlySequence<byte> frame, StreamConnection connection)
    {
        var slots = pending!;
        await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
        var length = (int)frame.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        frame.CopyTo(copy);

        // Before the handler: it owns the copy from then on and may have returned it by the time it returns.
        capture?.OnReceived(copy.AsSpan(0, length), kind, connection.Local, connection.Remote);
        HandlerDispatch.Run(handler!, copy, length, connection.Remote, this, slots, logger, metrics, stoppingToken);
    }

    /// <summary>Best effort: a request whose head still parses far enough to carry a Via is told what was wrong before the connection closes.</summary>
    private async Task RejectMalformedAsync(StreamConnection connection, ReadOnlySequence<byte> buffer, SipParseError error)
    {
        metrics.ParseErrors.Add(1, new KeyValuePair<string, object?>("fault", error.ToString()));
        LogFramingFailed(logger, connection.Remote, Hop, SipParseErrors.Describe(error));
        var length = (int)Math.Min(buffer.Length, options.MaxMessageBytes);
        var head = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(head);
            var request = new SipMessage();
            SipParser.TryParse(head.AsMemory(0, length), request, limits);
            if (!request.IsRequest || request.Method == SipMethod.Ack || request.Vias.Count == 0)
            {
                metrics.MessagesDropped.Add(1, MalformedUnanswerableTag);
                return;
            }

            using var response = ResponseFactory.Create(request, options.Product, SipParseErrors.StatusCode(error), SipParseErrors.ReasonPhrase(error));
            await connection.WriteAsync(response.Memory, connection.Closing).ConfigureAwait(false);
            metrics.RequestsAnswered.Add(1, new KeyValuePair<string, object?>("status", SipParseErrors.StatusCode(error)));
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsConnectionFault(ex))
        {
            // The peer is gone too; the connection closes either way.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private bool TryReserve(IPEndPoint remote, bool inbound)
    {
        string? refusal = null;
        int limit;
        lock (limitsLock)
        {
            connectionsPerPeer.TryGetValue(remote.Address, out var fromPeer);
            if (connectionCount >= options.MaxConnections)
            {
                refusal = RefusedMaxConnections;
                limit = options.MaxConnections;
            }
            else if (fromPeer >= options.MaxConnectionsPerPeer)
            {
                refusal = RefusedMaxPerPeer;
                limit = options.MaxConnectionsPerPeer;
            }
            else
            {
                connectionsPerPeer[remote.Address] = fromPeer + 1;
                connectionCount++;
                return true;
            }
        }

        metrics.ConnectionsRefused.Add(1, transportTag, new KeyValuePair<string, object?>("reason", refusal));
        LogRefused(logger, inbound ? "from" : "to", remote, Hop, refusal, limit);
        return false;
    }

    private void Release(IPAddress peer)
    {
        lock (limitsLock)
        {
            connectionCount--;
            var fromPeer = connectionsPerPeer[peer] - 1;
            if (fromPeer == 0)
            {
                connectionsPerPeer.Remove(peer);
            }
            else
            {
                connectionsPerPeer[peer] = fromPeer;
            }
        }
    }

    private void Opened(StreamConnection connection)
    {
        metrics.ConnectionsOpened.Add(1, transportTag, connection.Inbound ? InboundTag : OutboundTag);
        metrics.OpenConnections.Add(1, transportTag);
        LogOpened(logger, connection.Inbound ? "from" : "to", connection.Remote, Hop);
    }

    private void Register(StreamConnection connection)
    {
        connections[connection.Remote] = connection;

        // Dispose may have swept the table just before this connection joined it.
        if (stoppingToken.IsCancellationRequested)
        {
            Close(connection, ClosedStopping);
        }
    }

    private void Close(StreamConnection connection, string reason)
    {
        if (!connection.TryMarkClosed())
        {
            return;
        }

        connections.TryRemove(new KeyValuePair<IPEndPoint, StreamConnection>(connection.Remote, connection));
        Release(connection.Remote.Address);
        metrics.ConnectionsClosed.Add(1, transportTag, new KeyValuePair<string, object?>("reason", reason));
        metrics.OpenConnections.Add(-1, transportTag);
        LogClosed(logger, connection.Remote, Hop, reason);
        connection.Dispose();
        if (reason != ClosedStopping)
        {
            ConnectionLost?.Invoke(this, connection.Remote);
        }
    }

    private void CloseIdleAndStalled()
    {
        var now = Environment.TickCount64;
        var idleSince = now - (long)options.IdleTimeout.TotalMilliseconds;
        var stalledSince = now - (long)options.WriteTimeout.TotalMilliseconds;
        foreach (var (_, connection) in connections)
        {
            var writeStarted = connection.WriteStarted;
            if (writeStarted != 0 && writeStarted <= stalledSince)
            {
                LogWriteStalled(logger, connection.Remote, Hop, options.WriteTimeout);
                Close(connection, ClosedWriteStalled);
            }
            else if (connection.LastActivity <= idleSince)
            {
                LogIdle(logger, connection.Remote, Hop, options.IdleTimeout);
                Close(connection, ClosedIdle);
            }
        }
    }

    [LoggerMessage(EventId = SipLogEvents.ListenerStarted, Level = LogLevel.Information, Message = "Serving {Hop}, at most {Pending} messages in asynchronous handling at once")]
    private static partial void LogStarted(ILogger logger, LocalHop hop, int pending);

    [LoggerMessage(EventId = SipLogEvents.ListenerStopped, Level = LogLevel.Information, Message = "Stopped {Hop} and closed its connections")]
    private static partial void LogStopped(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.DrainIncomplete, Level = LogLevel.Warning, Message = "Stopped {Hop} with messages still being handled after 5 s")]
    private static partial void LogDrainIncomplete(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.SendFailed, Level = LogLevel.Warning, Message = "Send to {Destination} over {Hop} failed, connection closed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, IPEndPoint destination, LocalHop hop, string error);

    [LoggerMessage(EventId = SipLogEvents.AcceptFailed, Level = LogLevel.Debug, Message = "Accept on {Hop} failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, LocalHop hop, SocketError error);

    [LoggerMessage(EventId = SipLogEvents.ConnectionOpened, Level = LogLevel.Debug, Message = "Connection {Direction} {Remote} opened on {Hop}")]
    private static partial void LogOpened(ILogger logger, string direction, IPEndPoint remote, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.ConnectionClosed, Level = LogLevel.Debug, Message = "Connection with {Remote} on {Hop} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, IPEndPoint remote, LocalHop hop, string reason);

    [LoggerMessage(EventId = SipLogEvents.ConnectionRefused, Level = LogLevel.Warning, Message = "Connection {Direction} {Remote} on {Hop} refused: limit {Limit} of {Bound} reached")]
    private static partial void LogRefused(ILogger logger, string direction, IPEndPoint remote, LocalHop hop, string limit, int bound);

    [LoggerMessage(EventId = SipLogEvents.ConnectionIdle, Level = LogLevel.Information, Message = "Connection with {Remote} on {Hop} closed: idle for the idle time-out of {IdleTimeout}")]
    private static partial void LogIdle(ILogger logger, IPEndPoint remote, LocalHop hop, TimeSpan idleTimeout);

    [LoggerMessage(EventId = SipLogEvents.WriteStalled, Level = LogLevel.Warning, Message = "Connection with {Remote} on {Hop} closed: a write did not finish within the write time-out of {WriteTimeout}")]
    private static partial void LogWriteStalled(ILogger logger, IPEndPoint remote, LocalHop hop, TimeSpan writeTimeout);

    [LoggerMessage(EventId = SipLogEvents.ConnectFailed, Level = LogLevel.Warning, Message = "Could not connect to {Destination} from {Hop}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, IPEndPoint destination, LocalHop hop, string error);

    [LoggerMessage(EventId = SipLogEvents.TlsHandshakeFailed, Level = LogLevel.Warning, Message = "TLS handshake with {Remote} on {Hop} failed, connection closed: {Error}")]
    private static partial void LogTlsFailed(ILogger logger, IPEndPoint remote, LocalHop hop, string error);

    [LoggerMessage(EventId = SipLogEvents.StreamFramingFailed, Level = LogLevel.Warning, Message = "Stream from {Remote} on {Hop} cannot be framed ({Fault}); connection closed")]
    private static partial void LogFramingFailed(ILogger logger, IPEndPoint remote, LocalHop hop, string fault);

    [LoggerMessage(EventId = SipLogEvents.TruncatedMessageDropped, Level = LogLevel.Warning, Message = "Connection with {Remote} on {Hop} closed in the middle of a message; {Bytes} bytes dropped")]
    private static partial void LogTruncated(ILogger logger, IPEndPoint remote, LocalHop hop, long bytes);

    [LoggerMessage(EventId = SipLogEvents.TlsValidationSkipped, Level = LogLevel.Warning, Message = "{Hop} accepts any TLS server certificate (SkipCertificateValidation): for labs only")]
    private static partial void LogValidationSkipped(ILogger logger, LocalHop hop);
}
