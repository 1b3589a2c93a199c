using System.Collections.Immutable;
using System.Net;
using OrleansProxy.Routing.Pairs;

namespace OrleansProxy.Routing.Policy;

/// <summary>The validated "Proxy:Routing" configuration with the sites and transports of the pairs, as the policy reads it.</summary>
/// <param name="Site">This instance's site; null when no site is configured.</param>
/// <param name="DefaultPair">The pair for user agents no rule matches; null when the site has none.</param>
/// <param name="Rules">In precedence order: by kind, then longest user prefix and most specific network first.</param>
/// <param name="UserAgentNetworks">Where user agents may send from; empty lets any source send.</param>
/// <param name="NextHopHeader">The header servers name their next hop in; null when there is none.</param>
internal sealed record RoutingTable(
    string? Site,
    string? DefaultPair,
    ImmutableArray<PairPlacement> Pairs,
    ImmutableArray<RoutingRule> Rules,
    ImmutableArray<IPNetwork> UserAgentNetworks,
    ImmutableArray<IPNetwork> TrustedNetworks,
    ImmutableArray<StaticRoute> StaticRoutes,
    string? NextHopHeader);
