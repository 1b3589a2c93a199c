using System.Net;

namespace OrleansProxy.Sip.Transport;

public interface ISipMessageHandler
{
    /// <summary>Handles one framed message. <paramref name="data"/> is only valid until the returned task completes.</summary>
    ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken);
}
