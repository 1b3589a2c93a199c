using System.Collections.Immutable;
using System.Net;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Checks "Proxy:Routing" against the listeners and pairs and turns it into a <see cref="RoutingTable"/>: one fault per
/// bad, overlapping or dangling entry, named by the exact key.
/// </summary>
internal static class RoutingValidator
{
    private const string Key = "Proxy:Routing";

    public static RoutingTable Validate(
        RoutingOptions options,
        ImmutableArray<ListenEndpoint> listen,
        ImmutableArray<HaPairSettings> pairs,
        ImmutableArray<PairPlacement> placements,
        string? site,
        string? defaultPair,
        List<ConfigurationFault> faults)
    {
        var rules = ValidateRules(options.Rules, listen, pairs, faults);
        var userAgentNetworks = ValidateNetworks(options.UserAgentNetworks, $"{Key}:UserAgentNetworks", faults);
        var trustedNetworks = ValidateNetworks(options.TrustedNetworks, $"{Key}:TrustedNetworks", faults);
        var staticRoutes = ValidateStaticRoutes(options.StaticRoutes, faults);
        var nextHopHeader = ValidateHeaderName(options.NextHopHeader, faults);
        return new RoutingTable(site, defaultPair, placements, rules, userAgentNetworks, trustedNetworks, staticRoutes, nextHopHeader);
    }

    private static ImmutableArray<RoutingRule> ValidateRules(
        IList<RoutingRuleOptions> entries,
        ImmutableArray<ListenEndpoint> listen,
        ImmutableArray<HaPairSettings> pairs,
        List<ConfigurationFault> faults)
    {
        var rules = new List<RoutingRule>(entries.Count);
        var conditionKeys = new Dictionary<(RoutingRuleKind, string), string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var prefix = $"{Key}:Rules:{ProxyOptionsValidator.Index(i)}";
            var rule = ValidateRule(entries[i], prefix, listen, pairs, faults);
            if (rule is null)
            {
                continue;
            }

            // Two rules for one condition would leave the pair to the order of the file, which the precedence ignores.
            if (!conditionKeys.TryAdd((rule.Kind, rule.Condition), rule.Key))
            {
                faults.Add(new($"{prefix}:{rule.Kind}", $"'{rule.Condition}' is already the condition of {conditionKeys[(rule.Kind, rule.Condition)]}"));
                continue;
            }

            rules.Add(rule);
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
        string prefix,
        ImmutableArray<ListenEndpoint> listen,
        ImmutableArray<HaPairSettings> pairs,
        List<ConfigurationFault> faults)
    {
        var pair = ValidateRulePair(entry.Pair, $"{prefix}:Pair", pairs, faults);
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
            var named = conditions.Length == 0 ? "none is set" : string.Join(", ", conditions.Select(c => $"{prefix}:{c.Kind}"));
            faults.Add(new(prefix, $"needs exactly one condition (Listener, Domain, UserPrefix or SourceNetwork); {named}"));
            return null;
        }

        var (kind, text) = conditions[0];
        var key = $"{prefix}:{kind}";
        var rule = kind switch
        {
            RoutingRuleKind.Listener => ListenerRule(text, key, prefix, listen, faults),
            RoutingRuleKind.Domain => DomainRule(text, key, prefix, faults),
            RoutingRuleKind.UserPrefix => new RoutingRule(RoutingRuleKind.UserPrefix, text, string.Empty, prefix),
            _ => NetworkRule(text, key, prefix, faults),
        };
        return rule is null || pair is null ? null : rule with { Pair = pair };
    }

    private static string? ValidateRulePair(string? pair, string key, ImmutableArray<HaPairSettings> pairs, List<ConfigurationFault> faults)
    {
        if (pair is null)
        {
            faults.Add(new(key, "is required (the pair matching requests go to)"));
            return null;
        }

        if (pairs.Any(p => p.Name == pair))
        {
            return pair;
        }

        faults.Add(new(key, $"'{pair}' is not a configured pair (configured: {(pairs.IsEmpty ? "none is valid" : string.Join(", ", pairs.Select(p => p.Name)))})"));
        return null;
    }

    private static RoutingRule? ListenerRule(string text, string key, string prefix, ImmutableArray<ListenEndpoint> listen, List<ConfigurationFault> faults)
    {
        if (!ListenEndpoint.TryParse(text, out var endpoint, out var fault))
        {
            faults.Add(new(key, fault));
            return null;
        }

        if (endpoint.FindIn(listen) is null)
        {
            faults.Add(new(key, $"'{text}' is not one of Proxy:Listen ({string.Join(", ", listen)})"));
            return null;
        }

        return new RoutingRule(RoutingRuleKind.Listener, endpoint.ToString(), string.Empty, prefix) { Listener = (endpoint.Transport, endpoint.EndPoint) };
    }

    private static RoutingRule? DomainRule(string text, string key, string prefix, List<ConfigurationFault> faults)
    {
        if (!HostPort.TryParseHost(text.Trim(), out var host, out _, out var reason))
        {
            faults.Add(new(key, $"'{text}' is not a domain ({reason})"));
            return null;
        }

        return new RoutingRule(RoutingRuleKind.Domain, host, string.Empty, prefix);
    }

    private static RoutingRule? NetworkRule(string text, string key, string prefix, List<ConfigurationFault> faults) =>
        TryParseNetwork(text, key, faults, out var network)
            ? new RoutingRule(RoutingRuleKind.SourceNetwork, network.ToString(), string.Empty, prefix) { Network = network }
            : null;

    internal static ImmutableArray<IPNetwork> ValidateNetworks(IList<string> entries, string listKey, List<ConfigurationFault> faults) =>
        DistinctEntries.Validate<IPNetwork>(entries, listKey, TryParseNetwork, faults);

    private static bool TryParseNetwork(string text, string key, List<ConfigurationFault> faults, out IPNetwork network)
    {
        // TryParse would quietly clear host bits; a typo in the address must not widen or move the network.
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && IPNetwork.TryParse(trimmed, out network)
            && IPAddress.TryParse(trimmed.AsSpan(0, slash), out var written)
            && written.Equals(network.BaseAddress))
        {
            return true;
        }

        network = default;
        faults.Add(new(key, $"'{text}' is not a network address/prefix length, e.g. 10.1.0.0/16 (host bits must be zero)"));
        return false;
    }

    private static ImmutableArray<StaticRoute> ValidateStaticRoutes(IList<StaticRouteOptions> entries, List<ConfigurationFault> faults)
    {
        var routes = ImmutableArray.CreateBuilder<StaticRoute>(entries.Count);
        var domainKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var prefix = $"{Key}:StaticRoutes:{ProxyOptionsValidator.Index(i)}";
            var domain = ValidateStaticDomain(entries[i].Domain, $"{prefix}:Domain", domainKeys, faults);
            var target = ValidateStaticTarget(entries[i].Target, $"{prefix}:Target", faults);
            if (domain is not null && target is not null)
            {
                routes.Add(new StaticRoute(domain, target, prefix));
            }
        }

        return routes.ToImmutable();
    }

    private static string? ValidateStaticDomain(string? text, string key, Dictionary<string, string> domainKeys, List<ConfigurationFault> faults)
    {
        if (text is null)
        {
            faults.Add(new(key, "is required (the host of the next hop this route replaces)"));
            return null;
        }

        if (!HostPort.TryParseHost(text.Trim(), out var host, out _, out var reason))
        {
            faults.Add(new(key, $"'{text}' is not a domain ({reason})"));
            return null;
        }

        if (!domainKeys.TryAdd(host, key))
        {
            faults.Add(new(key, $"'{host}' already has a static route ({domainKeys[host]})"));
            return null;
        }

        return host;
    }

    private static NextHop? ValidateStaticTarget(string? text, string key, List<ConfigurationFault> faults)
    {
        if (text is null)
        {
            faults.Add(new(key, "is required ([udp|tcp|tls://]host[:port])"));
            return null;
        }

        if (!TransportAddress.TryParse(text, out var target, out var reason))
        {
            faults.Add(new(key, $"'{text}' is not [udp|tcp|tls://]host[:port] ({reason})"));
            return null;
        }

        return new NextHop(target.Address.Host, target.Address.Port, target.Address.Address, target.Transport) { PortIsDefault = !target.PortGiven };
    }

    // RFC 3261 §25.1 token characters; the core matches the header by name, ignoring case.
    private static string? ValidateHeaderName(string? name, List<ConfigurationFault> faults)
    {
        if (name is null)
        {
            return null;
        }

        if (name.All(c => char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c)))
        {
            return name;
        }

        faults.Add(new($"{Key}:NextHopHeader", $"'{name}' is not a header name (letters, digits and -.!%*_+`'~)"));
        return null;
    }
}
