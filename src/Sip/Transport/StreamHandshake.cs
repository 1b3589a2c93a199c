using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Makes a connected socket ready to carry SIP: as it is over TCP, after a TLS handshake (as server for an accepted
/// connection, as client for one we opened) over TLS, the handshake bounded by the connect time-out.
/// </summary>
internal sealed class StreamHandshake
{
    private readonly TlsAuthentication? tls;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;
    private readonly LocalHop hop;
    private readonly ILogger logger;

    /// <param name="tls">Null for TCP.</param>
    public StreamHandshake(TlsAuthentication? tls, TimeSpan timeout, TimeProvider time, LocalHop hop, ILogger logger)
    {
        this.tls = tls;
        this.timeout = timeout;
        this.time = time;
        this.hop = hop;
        this.logger = logger;
    }

    /// <returns>False when the handshake failed (logged): the caller closes the connection.</returns>
    public async Task<bool> TryEstablishAsync(StreamConnection connection, CancellationToken stopping)
    {
        var network = new NetworkStream(connection.Socket, ownsSocket: true);
        if (tls is null)
        {
            connection.Attach(network);
            return true;
        }

        var secure = new SslStream(network, leaveInnerStreamOpen: false);
        using var bound = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, bound.Token);
        try
        {
            if (connection.Inbound)
            {
                await secure.AuthenticateAsServerAsync(tls.ServerOptions(), either.Token).ConfigureAwait(false);
            }
            else
            {
                await secure.AuthenticateAsClientAsync(tls.ClientOptions(connection.Remote), either.Token).ConfigureAwait(false);
            }

            connection.Attach(secure);
            return true;
        }
        catch (Exception ex) when (StreamTransport.IsConnectionFault(ex) || ex is OperationCanceledException)
        {
            await secure.DisposeAsync().ConfigureAwait(false);
            StreamTransportLog.TlsFailed(logger, connection.Remote, hop, ex is OperationCanceledException ? $"no handshake within {timeout}" : ex.Message);
            return false;
        }
    }
}
