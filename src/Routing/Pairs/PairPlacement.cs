using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Pairs;

/// <summary>Where a configured pair sits: its site (null when none is configured) and the transport both members are reached over.</summary>
/// <param name="Egress">The listener (its bound endpoint) requests to the pair leave from; null lets the route table choose.</param>
internal sealed record PairPlacement(string Pair, string? Site, SipTransportKind Transport, IPEndPoint? Egress = null);
