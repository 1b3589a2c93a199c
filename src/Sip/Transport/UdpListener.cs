using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// One bound UDP socket: several receive loops run on it at once so that a message waiting on the target
/// resolver does not hold up the next datagram. A loop survives any single bad datagram or failing handler.
/// </summary>
public sealed partial class UdpListener : ISipTransport, IAsyncDisposable
{
    // The largest UDP payload: a datagram is never cut short by our buffer.
    private const int ReceiveBufferBytes = 65_535;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];

    private UdpListener(Socket socket, ILogger logger, SipMetrics metrics)
    {
        this.socket = socket;
        this.logger = logger;
        this.metrics = metrics;
        Hop = new LocalHop(SipTransportKind.Udp, (IPEndPoint)socket.LocalEndPoint!);
    }

    public LocalHop Hop { get; }

    /// <summary>Binds at once, so that a port in use fails start-up with a clear error before anything runs.</summary>
    public static UdpListener Bind(IPEndPoint endPoint, ILogger logger, SipMetrics metrics)
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

        return new UdpListener(socket, logger, metrics);
    }

    public void Start(ISipMessageHandler handler, int concurrentReceives)
    {
        for (var i = 0; i < concurrentReceives; i++)
        {
            loops.Add(Task.Run(() => ReceiveLoopAsync(handler, stopping.Token)));
        }

        LogStarted(logger, Hop, concurrentReceives);
    }

    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendToAsync(message, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException ex)
        {
            metrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "send_failed"));
            LogSendFailed(logger, destination, ex.SocketErrorCode);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        socket.Dispose();
        await Task.WhenAll(loops).ConfigureAwait(false);
        stopping.Dispose();
        LogStopped(logger, Hop);
    }

    private async Task ReceiveLoopAsync(ISipMessageHandler handler, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        var anyAddress = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer.AsMemory(0, ReceiveBufferBytes), SocketFlags.None, anyAddress, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    // ICMP errors from earlier sends surface here on some platforms; the socket is still usable.
                    LogReceiveFailed(logger, Hop, ex.SocketErrorCode);
                    continue;
                }

                try
                {
                    await handler.HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, this, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    metrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "handler_failed"));
                    LogHandlerFailed(logger, ex, received.RemoteEndPoint);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = SipLogEvents.ListenerStarted, Level = LogLevel.Information, Message = "Listening on {Hop} with {Receives} concurrent receives")]
    private static partial void LogStarted(ILogger logger, LocalHop hop, int receives);

    [LoggerMessage(EventId = SipLogEvents.ListenerStopped, Level = LogLevel.Information, Message = "Stopped listening on {Hop}")]
    private static partial void LogStopped(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.ReceiveFailed, Level = LogLevel.Debug, Message = "Receive on {Hop} failed: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, LocalHop hop, SocketError error);

    [LoggerMessage(EventId = SipLogEvents.SendFailed, Level = LogLevel.Warning, Message = "Send to {Destination} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, IPEndPoint destination, SocketError error);

    [LoggerMessage(EventId = SipLogEvents.HandlerFailed, Level = LogLevel.Error, Message = "Message from {Source} could not be handled; dropped")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, EndPoint? source);
}
