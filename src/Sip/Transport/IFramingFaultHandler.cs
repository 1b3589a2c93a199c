using System.Net;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// A message handler that also decides what a peer is told when its stream cannot be framed (RFC 3261 §18.3: the
/// message boundaries are lost). The stream transport only reports the fault: it hands over what it had buffered and
/// closes the connection once the handler is done, so an answer sent meanwhile still leaves on that connection.
/// </summary>
public interface IFramingFaultHandler
{
    /// <param name="head">What was buffered when framing failed, at most the largest message; valid until the returned task completes.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes under the handler.</param>
    ValueTask OnFramingFaultAsync(ReadOnlyMemory<byte> head, SipParseError fault, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken);
}
