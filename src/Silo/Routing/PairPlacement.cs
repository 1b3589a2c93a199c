using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Routing;

/// <summary>Where a configured pair sits: its site (null when none is configured) and the transport both members are reached over.</summary>
internal sealed record PairPlacement(string Pair, string? Site, SipTransportKind Transport);
