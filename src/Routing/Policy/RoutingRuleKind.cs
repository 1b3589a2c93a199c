namespace OrleansProxy.Routing.Policy;

/// <summary>The condition of a routing rule; kinds apply in this order, whatever order the rules are written in.</summary>
internal enum RoutingRuleKind
{
    Listener = 0,
    Domain = 1,
    UserPrefix = 2,
    SourceNetwork = 3,
}
