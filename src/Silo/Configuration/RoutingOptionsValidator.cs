using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Checks "Proxy:Routing" against the listeners and pairs and turns it into a <see cref="RoutingTable"/>: one fault per
/// bad, overlapping or dangling entry, named by the exact key.
/// </summary>
internal static class RoutingOptionsValidator
{
    /// <param name="listenKey">The full key of "Proxy:Listen", which faults point at.</param>
    public static RoutingTable Validate(
        RoutingOptions options,
        SectionFaults section,
        ImmutableArray<ListenEndpoint> listen,
        string listenKey,
        ImmutableArray<HaPairSettings> pairs,
        ImmutableArray<PairPlacement> placements,
        string? site,
        string? defaultPair)
    {
        var rules = ValidateRules(options.Rules, section.Child(nameof(RoutingOptions.Rules)), listen, listenKey, pairs);
        var userAgentNetworks = NetworkList.Validate(options.UserAgentNetworks, section.Child(nameof(RoutingOptions.UserAgentNetworks)));
        var trustedNetworks = NetworkList.Validate(options.TrustedNetworks, section.Child(nameof(RoutingOptions.TrustedNetworks)));
        var staticRoutes = ValidateStaticRoutes(options.StaticRoutes, section.Child(nameof(RoutingOptions.StaticRoutes)));
        var nextHopHeader = ValidateHeaderName(options.NextHopHeader, section.Child(nameof(RoutingOptions.NextHopHeader)));
        return new RoutingTable(site, defaultPair, placements, rules, userAgentNetworks, trustedNetworks, staticRoutes, nextHopHeader);
    }

    /// <summary>The name of a configured pair; null, with a fault under <paramref name="key"/>, for any other.</summary>
    public static string? ValidatePairName(string name, SectionFaults key, ImmutableArray<HaPairSettings> pairs)
    {
        if (pairs.Any(p => p.Name == name))
        {
            return name;
        }

        key.Add($"'{name}' is not a configured pair (configured: {(pairs.IsEmpty ? "none is valid" : string.Join(", ", pairs.Select(p => p.Name)))})");
        return null;
    }

    private static ImmutableArray<RoutingRule> ValidateRules(
        IList<RoutingRuleOptions> entries,
        SectionFaults list,
        ImmutableArray<ListenEndpoint> listen,
        string listenKey,
        ImmutableArray<HaPairSettings> pairs)
    {
        var rules = new List<RoutingRule>(entries.Count);
        var conditions = new ClaimedValues<(RoutingRuleKind, string)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = list.Entry(i);
            var rule = ValidateRule(entries[i], entry, listen, listenKey, pairs);
            if (rule is null)
            {
                continue;
            }

            // Two rules for one condition would leave the pair to the order of the file, which the precedence ignores.
            if (conditions.Claim((rule.Kind, rule.Condition), entry.Child(rule.Kind.ToString()), holder => $"'{rule.Condition}' is already the condition of {holder}", rule.Key))
            {
                rules.Add(rule);
            }
        }

        return [.. rules.OrderBy(r => r.Kind).ThenByDescending(Specificity)];
    }

    // Within a kind: the longest user prefix and the most specific network are tried first.
    private static int Specificity(RoutingRule rule) => rule.Kind switch
    {
        RoutingRuleKind.UserPrefix => rule.Condition.Length,
        RoutingRuleKind.SourceNetwork => rule.Network.PrefixLength,
        _ => 0,
    };

    private static RoutingRule? ValidateRule(
        RoutingRuleOptions entry,
        SectionFaults section,
        ImmutableArray<ListenEndpoint> listen,
        string listenKey,
        ImmutableArray<HaPairSettings> pairs)
    {
        var pairKey = section.Child(nameof(RoutingRuleOptions.Pair));
        var pair = pairKey.IsSet(entry.Pair, "the pair matching requests go to") ? ValidatePairName(entry.Pair, pairKey, pairs) : null;

        (RoutingRuleKind Kind, string Text)[] conditions =
        [
            .. new (RoutingRuleKind Kind, string? Text)[]
            {
                (RoutingRuleKind.Listener, entry.Listener),
                (RoutingRuleKind.Domain, entry.Domain),
                (RoutingRuleKind.UserPrefix, entry.UserPrefix),
                (RoutingRuleKind.SourceNetwork, entry.SourceNetwork),
            }
            .Where(c => c.Text is not null)
            .Select(c => (c.Kind, c.Text!)),
        ];
        if (conditions.Length != 1)
        {
            var named = conditions.Length == 0 ? "none is set" : string.Join(", ", conditions.Select(c => section.Key(c.Kind.ToString())));
            section.Add($"needs exactly one condition ({nameof(RoutingRuleOptions.Listener)}, {nameof(RoutingRuleOptions.Domain)}, {nameof(RoutingRuleOptions.UserPrefix)} or {nameof(RoutingRuleOptions.SourceNetwork)}); {named}");
            return null;
        }

        var (kind, text) = conditions[0];
        var key = section.Child(kind.ToString());
        var rule = kind switch
        {
            RoutingRuleKind.Listener => ListenerRule(text, key, section.Path, listen, listenKey),
            RoutingRuleKind.Domain => DomainRule(text, key, section.Path),
            RoutingRuleKind.UserPrefix => new RoutingRule(RoutingRuleKind.UserPrefix, text, string.Empty, section.Path),
            _ => NetworkRule(text, key, section.Path),
        };
        return rule is null || pair is null ? null : rule with { Pair = pair };
    }

    private static RoutingRule? ListenerRule(string text, SectionFaults key, string ruleKey, ImmutableArray<ListenEndpoint> listen, string listenKey) =>
        ListenEndpoint.ParseOneOf(text, listen, key, listenKey) is { } endpoint
            ? new RoutingRule(RoutingRuleKind.Listener, endpoint.ToString(), string.Empty, ruleKey) { Listener = (endpoint.Transport, endpoint.EndPoint) }
            : null;

    private static RoutingRule? DomainRule(string text, SectionFaults key, string ruleKey) =>
        ParseDomain(text, key) is { } host ? new RoutingRule(RoutingRuleKind.Domain, host, string.Empty, ruleKey) : null;

    private static RoutingRule? NetworkRule(string text, SectionFaults key, string ruleKey) =>
        NetworkList.TryParse(text, key, out var network)
            ? new RoutingRule(RoutingRuleKind.SourceNetwork, network.ToString(), string.Empty, ruleKey) { Network = network }
            : null;

    private static string? ParseDomain(string text, SectionFaults key)
    {
        if (HostPort.TryParseHost(text.Trim(), out var host, out _, out var reason))
        {
            return host;
        }

        key.Add($"'{text}' is not a domain ({reason})");
        return null;
    }

    private static ImmutableArray<StaticRoute> ValidateStaticRoutes(IList<StaticRouteOptions> entries, SectionFaults list)
    {
        var routes = ImmutableArray.CreateBuilder<StaticRoute>(entries.Count);
        var domains = new ClaimedValues<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = list.Entry(i);
            var domain = ValidateStaticDomain(entries[i].Domain, entry.Child(nameof(StaticRouteOptions.Domain)), domains);
            var target = ValidateStaticTarget(entries[i].Target, entry.Child(nameof(StaticRouteOptions.Target)));
            if (domain is not null && target is not null)
            {
                routes.Add(new StaticRoute(domain, target, entry.Path));
            }
        }

        return routes.ToImmutable();
    }

    private static string? ValidateStaticDomain(string? text, SectionFaults key, ClaimedValues<string> domains) =>
        key.IsSet(text, "the host of the next hop this route replaces")
        && ParseDomain(text, key) is { } host
        && domains.Claim(host, key, holder => $"'{host}' already has a static route ({holder})")
            ? host
            : null;

    private static NextHop? ValidateStaticTarget(string? text, SectionFaults key) =>
        TransportAddress.Parse(text, key, "[udp|tcp|tls://]host[:port]") is { } target
            ? new NextHop(target.Address.Host, target.Address.Port, target.Address.Address, target.Transport) { PortIsDefault = !target.PortGiven }
            : null;

    // RFC 3261 §25.1 token characters; the core matches the header by name, ignoring case.
    private static string? ValidateHeaderName(string? name, SectionFaults key)
    {
        if (name is null)
        {
            return null;
        }

        if (name.All(c => char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c)))
        {
            return name;
        }

        key.Add($"'{name}' is not a header name (letters, digits and -.!%*_+`'~)");
        return null;
    }
}
