using OrleansProxy.Routing.Policy;


namespace OrleansProxy.Silo.Admin;

/// <param name="Key">The rule's configuration key, e.g. Proxy:Routing:Rules:2.</param>
internal sealed record RoutingRuleDto(string Key, RoutingRuleKind Kind, string Condition, string Pair)
{
    public static RoutingRuleDto Create(RoutingRule rule) => new(rule.Key, rule.Kind, rule.Condition, rule.Pair);
}
