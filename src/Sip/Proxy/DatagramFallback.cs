using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// A request moved from UDP to TCP for its size alone, written again with the Via and Record-Route of the UDP
/// listener it would have left from: if the next hop refuses the connection, it goes this way (RFC 3261 §18.1.1).
/// </summary>
internal sealed record DatagramFallback(ISipTransport Transport, byte[] Request);
