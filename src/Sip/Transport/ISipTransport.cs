using System.Net;

namespace OrleansProxy.Sip.Transport;

/// <summary>A bound listener that can also send: the proxy answers and forwards from the socket it listens on.</summary>
public interface ISipTransport
{
    LocalHop Hop { get; }

    /// <returns>False when the send failed (logged and counted by the transport).</returns>
    ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken);
}
