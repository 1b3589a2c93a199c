using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Location;

/// <summary>One address to send to, and the transport RFC 3263 chose for it.</summary>
internal sealed record LocatedTarget(IPEndPoint EndPoint, SipTransportKind Transport);
