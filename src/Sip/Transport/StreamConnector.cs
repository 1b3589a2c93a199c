using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Opens the outbound connections of a <see cref="StreamTransport"/>: from its local address, within the connect
/// time-out and the connection limits, TLS client handshake included. Concurrent sends to a peer with no connection
/// share one attempt, so they open one connection, not one each.
/// </summary>
internal sealed class StreamConnector
{
    private readonly ConcurrentDictionary<IPEndPoint, Lazy<Task<StreamConnection?>>> connecting = new();
    private readonly StreamTransport transport;
    private readonly IPAddress localAddress;
    private readonly StreamHandshake handshake;

    public StreamConnector(StreamTransport transport, IPAddress localAddress, StreamHandshake handshake)
    {
        this.transport = transport;
        this.localAddress = localAddress;
        this.handshake = handshake;
    }

    /// <returns>The connection, registered and read from; null when it could not be made (logged and counted).</returns>
    public Task<StreamConnection?> ConnectOnceAsync(IPEndPoint destination) =>
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
        if (transport.TryGetOpen(destination, out var existing))
        {
            return existing;
        }

        if (!transport.Limits.TryReserve(destination, inbound: false))
        {
            return null;
        }

        var options = transport.Options;
        var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var bound = new CancellationTokenSource(options.ConnectTimeout, transport.Time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(transport.Stopping, bound.Token);
        try
        {
            if (!localAddress.Equals(IPAddress.Any) && !localAddress.Equals(IPAddress.IPv6Any) && localAddress.AddressFamily == destination.AddressFamily)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(destination, either.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            transport.Limits.Release(destination.Address);
            StreamTransportLog.ConnectFailed(transport.Logger, destination, transport.Hop, ex is OperationCanceledException ? $"no connection within {options.ConnectTimeout}" : ex.Message);
            return null;
        }

        var connection = new StreamConnection(socket, destination, inbound: false, transport.Time);
        transport.Opened(connection);
        if (!await handshake.TryEstablishAsync(connection, transport.Stopping).ConfigureAwait(false))
        {
            transport.Close(connection, StreamCloseReason.TlsFailed);
            return null;
        }

        transport.Register(connection);
        _ = Task.Run(() => transport.Reading.RunAsync(connection));
        return connection;
    }
}
