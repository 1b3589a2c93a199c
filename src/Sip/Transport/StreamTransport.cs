using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// SIP over TCP or TLS: a listening socket (unless outbound-only), one read loop per connection, and a table of
/// connections by remote endpoint, so a message to a peer goes over the connection open with it, or over one opened
/// for it. It moves bytes and reports what happens to them: messages framed by Content-Length go to the handler in
/// order per connection (<see cref="StreamReadLoop"/>), a stream that cannot be framed is reported and closed, a lost
/// connection is announced. What to answer, and where a response goes once its connection is gone, the proxy
/// decides. Limits on connections, idle time, stalled writes and message size are logged and counted when hit.
/// </summary>
public sealed class StreamTransport : ISipTransport, IAsyncDisposable
{
    private const int ListenBacklog = 512;

    private static readonly TimeSpan AcceptBackOff = TimeSpan.FromMilliseconds(50);
    private static readonly KeyValuePair<string, object?> InboundTag = new("direction", "inbound");
    private static readonly KeyValuePair<string, object?> OutboundTag = new("direction", "outbound");
    private static readonly KeyValuePair<string, object?> SendFailedTag = new("reason", "send_failed");

    private readonly Socket? listener;
    private readonly ISipCapture? capture;
    private readonly KeyValuePair<string, object?> transportTag;
    private readonly ConcurrentDictionary<IPEndPoint, StreamConnection> connections = new();
    private readonly StreamHandshake handshake;
    private readonly StreamConnector connector;
    private readonly CancellationTokenSource stopping = new();
    private SemaphoreSlim? pending;
    private int maxPending;
    private ConnectionSweeper? sweeper;
    private Task acceptLoop = Task.CompletedTask;
    private int disposed;

    private StreamTransport(SipTransportKind kind, Socket? listener, LocalHop hop, StreamTransportOptions options, ILogger logger, SipMetrics metrics, ISipCapture? capture, TimeProvider? time)
    {
        this.capture = capture;
        this.listener = listener;
        Options = options;
        Logger = logger;
        Metrics = metrics;
        Time = time ?? TimeProvider.System;
        Stopping = stopping.Token;
        Hop = hop;
        transportTag = new("transport", kind == SipTransportKind.Tls ? "tls" : "tcp");
        Limits = new ConnectionLimits(options, hop, transportTag, logger, metrics);
        TlsAuthentication? tls = null;
        if (kind == SipTransportKind.Tls)
        {
            tls = new TlsAuthentication(options.TlsServer, options.TlsClient);
            if (options.TlsClient?.SkipCertificateValidation == true)
            {
                StreamTransportLog.ValidationSkipped(logger, Hop);
            }
        }

        handshake = new StreamHandshake(tls, options.ConnectTimeout, Time, hop, logger);
        connector = new StreamConnector(this, hop.EndPoint.Address, handshake);
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

    internal StreamTransportOptions Options { get; }

    internal ILogger Logger { get; }

    internal SipMetrics Metrics { get; }

    /// <summary>Measures the idle, write and connect time-outs.</summary>
    internal TimeProvider Time { get; }

    internal ConnectionLimits Limits { get; }

    /// <summary>Cancelled when the transport is disposed.</summary>
    internal CancellationToken Stopping { get; }

    /// <summary>Set by <see cref="Start"/>.</summary>
    internal StreamReadLoop Reading { get; private set; } = null!;

    /// <summary>Binds and listens at once, so that a port in use fails start-up with a clear error before anything runs.</summary>
    /// <exception cref="ArgumentException">UDP asked for, a bound that cannot work, or TLS without <see cref="StreamTransportOptions.TlsServer"/>.</exception>
    /// <param name="capture">Sees every message received and sent, decrypted for TLS; null captures nothing.</param>
    /// <param name="advertised">The name Via and Record-Route give this listener; null names the bound address.</param>
    /// <param name="time">The clock of the idle, write and connect time-outs; null is the system clock.</param>
    public static StreamTransport Bind(SipTransportKind kind, IPEndPoint endPoint, StreamTransportOptions options, ILogger logger, SipMetrics metrics, ISipCapture? capture = null, AdvertisedAddress? advertised = null, TimeProvider? time = null)
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

        return new StreamTransport(kind, socket, new LocalHop(kind, (IPEndPoint)socket.LocalEndPoint!, advertised), options, logger, metrics, capture, time);
    }

    /// <summary>An outbound-only transport: no listening socket; connections leave from <paramref name="localAddress"/> (any address: the system chooses).</summary>
    /// <param name="capture">Sees every message received and sent, decrypted for TLS; null captures nothing.</param>
    /// <param name="time">The clock of the idle, write and connect time-outs; null is the system clock.</param>
    public static StreamTransport CreateClient(SipTransportKind kind, IPAddress localAddress, StreamTransportOptions options, ILogger logger, SipMetrics metrics, ISipCapture? capture = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(options);
        RequireStream(kind);
        options.Validate();
        return new StreamTransport(kind, null, new LocalHop(kind, new IPEndPoint(localAddress, 0)), options, logger, metrics, capture, time);
    }

    /// <summary>
    /// Starts accepting (for a listener) and reading. Must come before the first send: answers arrive through
    /// <paramref name="handler"/>, which is told of unframeable streams too when it is an <see cref="IFramingFaultHandler"/>.
    /// </summary>
    /// <param name="maxPending">How many messages may wait on asynchronous handling at once, over all connections, before reading waits for one to finish.</param>
    public void Start(ISipMessageHandler handler, int maxPending)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        this.maxPending = maxPending;
        pending = new SemaphoreSlim(maxPending, maxPending);
        Reading = new StreamReadLoop(this, handler, pending, capture);
        sweeper = new ConnectionSweeper(this, connections);
        if (listener is not null)
        {
            acceptLoop = Task.Run(() => AcceptLoopAsync(listener));
        }

        StreamTransportLog.Started(Logger, Hop, maxPending);
    }

    /// <remarks>Over the connection open with <paramref name="destination"/>, else over one opened to it now.</remarks>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (pending is null)
        {
            throw new InvalidOperationException("Start the transport before sending: answers arrive through its handler.");
        }

        if (!connections.TryGetValue(destination, out var connection))
        {
            connection = await connector.ConnectOnceAsync(destination).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                Metrics.MessagesDropped.Add(1, SendFailedTag);
                return false;
            }
        }

        try
        {
            await connection.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            capture?.OnSent(message.Span, Hop.Transport, connection.Local, connection.Remote);
            return true;
        }
        catch (Exception ex) when (IsConnectionFault(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Metrics.MessagesDropped.Add(1, SendFailedTag);
            StreamTransportLog.SendFailed(Logger, connection.Remote, Hop, ex.Message);
            Close(connection, StreamCloseReason.SendFailed);
            return false;
        }
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
            Close(connection, StreamCloseReason.Stopping);
        }

        // Handlers still running were cancelled; each returns its slot and buffer.
        if (pending is not null && !await HandlerDispatch.DrainAsync(pending, maxPending).ConfigureAwait(false))
        {
            StreamTransportLog.DrainIncomplete(Logger, Hop);
        }

        stopping.Dispose();
        StreamTransportLog.Stopped(Logger, Hop);
    }

    internal static bool IsConnectionFault(Exception exception) =>
        exception is IOException or SocketException or ObjectDisposedException or AuthenticationException;

    internal bool TryGetOpen(IPEndPoint remote, [NotNullWhen(true)] out StreamConnection? connection) => connections.TryGetValue(remote, out connection);

    /// <summary>Counts and logs a connection that holds its place in <see cref="Limits"/> and has a socket.</summary>
    internal void Opened(StreamConnection connection)
    {
        Metrics.ConnectionsOpened.Add(1, transportTag, connection.Inbound ? InboundTag : OutboundTag);
        Metrics.OpenConnections.Add(1, transportTag);
        StreamTransportLog.Opened(Logger, connection.Inbound ? "from" : "to", connection.Remote, Hop);
    }

    /// <summary>Enters an established connection in the table, where sends find it.</summary>
    internal void Register(StreamConnection connection)
    {
        connections[connection.Remote] = connection;

        // Dispose may have swept the table just before this connection joined it.
        if (Stopping.IsCancellationRequested)
        {
            Close(connection, StreamCloseReason.Stopping);
        }
    }

    /// <summary>Closes, counts and logs once, gives back the connection's place, and announces the loss unless stopping.</summary>
    internal void Close(StreamConnection connection, string reason)
    {
        if (!connection.TryMarkClosed())
        {
            return;
        }

        connections.TryRemove(new KeyValuePair<IPEndPoint, StreamConnection>(connection.Remote, connection));
        Limits.Release(connection.Remote.Address);
        Metrics.ConnectionsClosed.Add(1, transportTag, new KeyValuePair<string, object?>("reason", reason));
        Metrics.OpenConnections.Add(-1, transportTag);
        StreamTransportLog.Closed(Logger, connection.Remote, Hop, reason);
        connection.Dispose();
        if (reason != StreamCloseReason.Stopping)
        {
            ConnectionLost?.Invoke(this, connection.Remote);
        }
    }

    private static void RequireStream(SipTransportKind kind)
    {
        if (kind is not (SipTransportKind.Tcp or SipTransportKind.Tls))
        {
            throw new ArgumentException($"A stream transport carries TCP or TLS, not {kind}.", nameof(kind));
        }
    }

    private async Task AcceptLoopAsync(Socket listening)
    {
        while (!Stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(Stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                StreamTransportLog.AcceptFailed(Logger, Hop, ex.SocketErrorCode);

                // A peer that reset before we accepted it costs nothing; running out of descriptors would spin without a pause.
                if (ex.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted))
                {
                    await Task.Delay(AcceptBackOff, Time, CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            var remote = (IPEndPoint)accepted.RemoteEndPoint!;
            if (!Limits.TryReserve(remote, inbound: true))
            {
                accepted.Dispose();
                continue;
            }

            accepted.NoDelay = true;
            var connection = new StreamConnection(accepted, remote, inbound: true, Time);
            Opened(connection);
            _ = Task.Run(() => ServeInboundAsync(connection));
        }
    }

    private async Task ServeInboundAsync(StreamConnection connection)
    {
        if (!await handshake.TryEstablishAsync(connection, Stopping).ConfigureAwait(false))
        {
            Close(connection, StreamCloseReason.TlsFailed);
            return;
        }

        Register(connection);
        await Reading.RunAsync(connection).ConfigureAwait(false);
    }
}
