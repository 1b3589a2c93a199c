using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Pairs;

/// <param name="Address">The member as configured ("host:port"), which is how the pair's grain names it.</param>
/// <param name="Transport">How the proxy reaches the member (the pair's transport).</param>
/// <param name="Site">The pair's site; null when none is configured.</param>
/// <param name="Egress">The listener (its bound endpoint) requests and probes to the member leave from; null lets the route table choose.</param>
internal sealed record PairMember(string Pair, PairMemberRole Role, string Address, IPEndPoint EndPoint, SipTransportKind Transport, string? Site, IPEndPoint? Egress = null);
