using System.Collections.Frozen;
using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Policy;

/// <summary>
/// Decides where a request goes, from the request and the configuration alone (no grains, no sockets), so that live
/// traffic and /api/routes give the same answer.
/// A server (a pair member or a trusted network) is routed by the next hop it names: a pair member becomes its pair,
/// then static routes, IP literals and DNS. A user agent only ever reaches a pair: one its in-dialog request names,
/// or the one the rules (listener, domain, user prefix, source network) or the site's default pick; a request that
/// points anywhere else is refused, so the proxy is no open relay.
/// </summary>
internal sealed class RoutingPolicy
{
    private static readonly RouteChoice NoNextHop = new RouteChoice.Refuse(404, "Not Found (a request from a server must name its next hop)");
    private static readonly RouteChoice SourceNotAllowed = new RouteChoice.Refuse(403, "Forbidden (source not allowed)");

    private readonly RoutingTable table;
    private readonly PairDirectory directory;
    private readonly FrozenDictionary<(SipTransportKind, IPEndPoint), RouteChoice> byListener;
    private readonly FrozenDictionary<string, RouteChoice> byDomain;
    private readonly (string Prefix, RouteChoice Choice)[] byUserPrefix;
    private readonly (IPNetwork Network, RouteChoice Choice)[] bySourceNetwork;
    private readonly FrozenDictionary<string, StaticRoute> staticRoutes;
    private readonly FrozenDictionary<string, RouteChoice> byMemberOfPair;
    private readonly FrozenSet<string> pairsForUserAgents;
    private readonly RouteChoice byDefault;

    public RoutingPolicy(RoutingTable table, PairDirectory directory)
    {
        this.table = table;
        this.directory = directory;
        byListener = table.Rules.Where(r => r.Kind == RoutingRuleKind.Listener)
            .ToFrozenDictionary(r => r.Listener!.Value, ChoiceOf);
        byDomain = table.Rules.Where(r => r.Kind == RoutingRuleKind.Domain)
            .ToFrozenDictionary(r => r.Condition, ChoiceOf, StringComparer.OrdinalIgnoreCase);

        // The table lists them longest prefix and most specific network first, so the first match wins.
        byUserPrefix = [.. table.Rules.Where(r => r.Kind == RoutingRuleKind.UserPrefix).Select(r => (r.Condition, ChoiceOf(r)))];
        bySourceNetwork = [.. table.Rules.Where(r => r.Kind == RoutingRuleKind.SourceNetwork).Select(r => (r.Network, ChoiceOf(r)))];
        staticRoutes = table.StaticRoutes.ToFrozenDictionary(r => r.Domain, StringComparer.OrdinalIgnoreCase);
        byMemberOfPair = table.Pairs.ToFrozenDictionary(
            p => p.Pair,
            p => (RouteChoice)new RouteChoice.ToPair(p.Pair, $"the next hop is a member of pair {p.Pair}"),
            StringComparer.Ordinal);
        pairsForUserAgents = PairsForUserAgents(table);
        byDefault = table.DefaultPair is { } pair
            ? new RouteChoice.ToPair(pair, table.Site is null ? "the default pair" : $"the default pair of site {table.Site}")
            : new RouteChoice.Refuse(404, $"Not Found (no routing rule matches and site {table.Site} has no pair)");
    }

    /// <summary>A pair member or a trusted network: routed by the next hop it names, and allowed to name any.</summary>
    public bool IsServer(IPEndPoint source) => directory.FindSender(source) is not null || Contains(table.TrustedNetworks, source.Address);

    public RouteChoice Decide(RoutingRequest request) =>
        IsServer(request.Source) ? DecideForServer(request) : DecideForUserAgent(request);

    /// <summary>The pair whose health an OPTIONS from <paramref name="source"/> to the proxy reports: its own, else the site's default.</summary>
    public string? PairServing(IPEndPoint source) => directory.FindSender(source)?.Pair ?? table.DefaultPair;

    private RouteChoice DecideForServer(RoutingRequest request)
    {
        if ((request.NamedNextHop ?? request.Target) is not { } hop)
        {
            return NoNextHop;
        }

        if (MemberAt(hop) is { } member)
        {
            return byMemberOfPair[member.Pair];
        }

        if (staticRoutes.TryGetValue(hop.Host, out var route))
        {
            var reason = $"static route {route.Key} ({route.Domain})";
            return route.Target.Address is { } address
                ? new RouteChoice.ToAddress(new IPEndPoint(address, route.Target.Port), route.Target.Transport ?? SipTransportKind.Udp, reason)
                : new RouteChoice.ToLocate(route.Target, reason);
        }

        return hop.Address is { } literal
            ? new RouteChoice.ToAddress(new IPEndPoint(literal, hop.Port), hop.Transport ?? SipTransportKind.Udp, "the next hop is an address")
            : new RouteChoice.ToLocate(hop, "the next hop is located by DNS");
    }

    private RouteChoice DecideForUserAgent(RoutingRequest request)
    {
        if (!table.UserAgentNetworks.IsEmpty && !Contains(table.UserAgentNetworks, request.Source.Address))
        {
            return SourceNotAllowed;
        }

        if (request.Target is { } target)
        {
            // In-dialog requests name the server that holds the call (its Record-Route or Contact): follow the pair.
            if (MemberAt(target) is { } member)
            {
                return pairsForUserAgents.Contains(member.Pair)
                    ? byMemberOfPair[member.Pair]
                    : new RouteChoice.Refuse(403, $"Forbidden (pair {member.Pair} is not on site {table.Site})");
            }

            if (!byDomain.ContainsKey(target.Host))
            {
                return new RouteChoice.Refuse(403, $"Forbidden (relaying to {target.Host} is not allowed)");
            }
        }

        return ByRules(request);
    }

    /// <summary>
    /// The member a next hop names. A flow (RFC 5626) names where its peer reached this proxy from, which for a member
    /// over TCP or TLS is a port of the moment, so it is looked up as a request's sender is: a server that registered
    /// through the pool is reached through its pair, and so follows a switchover like any request for a member.
    /// </summary>
    private PairMember? MemberAt(NextHop hop) =>
        hop is { IsFlow: true, Address: { } address } ? directory.FindSender(new IPEndPoint(address, hop.Port)) : directory.Find(hop);

    private RouteChoice ByRules(RoutingRequest request)
    {
        if (request.Listener is { } listener && byListener.TryGetValue((listener.Transport, listener.EndPoint), out var choice))
        {
            return choice;
        }

        if (byDomain.TryGetValue(request.RequestUriHost, out choice))
        {
            return choice;
        }

        foreach (var (prefix, byPrefix) in byUserPrefix)
        {
            if (request.RequestUriUser.StartsWith(prefix, StringComparison.Ordinal))
            {
                return byPrefix;
            }
        }

        foreach (var (network, byNetwork) in bySourceNetwork)
        {
            if (network.Contains(request.Source.Address))
            {
                return byNetwork;
            }
        }

        return byDefault;
    }

    // With a site, user agents reach its pairs, the configured default and the pairs rules name; without one, every pair.
    private static FrozenSet<string> PairsForUserAgents(RoutingTable table)
    {
        var pairs = table.Site is null
            ? table.Pairs.Select(p => p.Pair)
            : table.Pairs.Where(p => string.Equals(p.Site, table.Site, StringComparison.OrdinalIgnoreCase)).Select(p => p.Pair)
                .Concat(table.Rules.Select(r => r.Pair));
        if (table.DefaultPair is { } defaultPair)
        {
            pairs = pairs.Append(defaultPair);
        }

        return pairs.ToFrozenSet(StringComparer.Ordinal);
    }

    private static RouteChoice ChoiceOf(RoutingRule rule) => new RouteChoice.ToPair(rule.Pair, $"rule {rule.Key} ({rule.Kind} {rule.Condition})");

    private static bool Contains(System.Collections.Immutable.ImmutableArray<IPNetwork> networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
