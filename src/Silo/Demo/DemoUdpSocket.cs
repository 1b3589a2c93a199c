using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// A UDP socket with one receive loop, shared by the simulated servers and the user agent. One loop hands
/// datagrams over in arrival order, so each peer's state changes one message at a time.
/// </summary>
internal sealed partial class DemoUdpSocket : IAsyncDisposable
{
    private const int ReceiveBufferBytes = 65_535;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly CancellationTokenSource closing = new();
    private Task receiveLoop = Task.CompletedTask;
    private int closed;

    private DemoUdpSocket(Socket socket, ILogger logger)
    {
        this.socket = socket;
        this.logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public bool IsClosed => Volatile.Read(ref closed) != 0;

    /// <param name="endPoint">Port 0 lets the system pick a free port.</param>
    public static DemoUdpSocket Bind(IPEndPoint endPoint, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new DemoUdpSocket(socket, logger);
    }

    /// <param name="onDatagram">Called for each datagram; its bytes are only valid until the returned task completes.</param>
    public void Start(Func<ReadOnlyMemory<byte>, IPEndPoint, ValueTask> onDatagram) =>
        receiveLoop = Task.Run(() => ReceiveLoopAsync(onDatagram));

    /// <returns>False when the socket is closed or the send failed.</returns>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            return false;
        }

        try
        {
            await socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (SocketException ex)
        {
            LogSendFailed(logger, LocalEndPoint, destination, ex.SocketErrorCode);
            return false;
        }
    }

    /// <summary>Stops receiving and sending at once; anything sent here from now on is lost, as with a dead host.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        closing.Cancel();
        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await receiveLoop.ConfigureAwait(false);
        closing.Dispose();
    }

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, IPEndPoint, ValueTask> onDatagram)
    {
        var buffer = new byte[ReceiveBufferBytes];
        var anyAddress = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!closing.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anyAddress, closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // Some platforms report an earlier send's ICMP error here; the socket itself is still usable.
                LogReceiveFailed(logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }

            try
            {
                await onDatagram(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogHandlerFailed(logger, ex, LocalEndPoint, received.RemoteEndPoint);
            }
        }
    }

    [LoggerMessage(EventId = SiloEventIds.SocketReceiveFailed, Level = LogLevel.Debug, Message = "Receive on {LocalEndPoint} failed: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, IPEndPoint localEndPoint, SocketError error);

    [LoggerMessage(EventId = SiloEventIds.SocketHandlerFailed, Level = LogLevel.Error, Message = "Datagram from {Source} to {LocalEndPoint} could not be handled; dropped")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, IPEndPoint localEndPoint, EndPoint source);

    [LoggerMessage(EventId = SiloEventIds.SocketSendFailed, Level = LogLevel.Debug, Message = "Send from {LocalEndPoint} to {Destination} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, IPEndPoint localEndPoint, IPEndPoint destination, SocketError error);
}
