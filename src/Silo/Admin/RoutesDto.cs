
namespace OrleansProxy.Silo.Admin;

/// <summary>
/// GET /api/routes: the routing configuration as the policy applies it, and, when asked, how one sample request would
/// be routed. A wire contract like <see cref="PairStatusDto"/>: add fields, never rename or remove them.
/// </summary>
/// <param name="Site">This instance's site; null when none is configured.</param>
/// <param name="DefaultPair">The pair user agents no rule matches go to.</param>
/// <param name="Rules">In the order they are tried.</param>
/// <param name="Sample">Present only when the query asked for one.</param>
internal sealed record RoutesDto(
    string? Site,
    string? DefaultPair,
    IReadOnlyList<RoutingRuleDto> Rules,
    IReadOnlyList<string> UserAgentNetworks,
    IReadOnlyList<string> TrustedNetworks,
    IReadOnlyList<StaticRouteDto> StaticRoutes,
    string? NextHopHeader,
    RouteSampleDto? Sample);
