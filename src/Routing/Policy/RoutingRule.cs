using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Policy;

/// <summary>One validated "Proxy:Routing:Rules:N": user agents whose request meets the condition go to <see cref="Pair"/>.</summary>
/// <param name="Condition">The condition as normalised text: udp://10.0.0.1:5060, example.com, +4930, 10.1.0.0/16.</param>
/// <param name="Key">The rule's configuration key, which status pages and reasons name.</param>
internal sealed record RoutingRule(RoutingRuleKind Kind, string Condition, string Pair, string Key)
{
    /// <summary>The listener a <see cref="RoutingRuleKind.Listener"/> rule names.</summary>
    public (SipTransportKind Transport, IPEndPoint EndPoint)? Listener { get; init; }

    /// <summary>The network a <see cref="RoutingRuleKind.SourceNetwork"/> rule names.</summary>
    public IPNetwork Network { get; init; }

    public override string ToString() => $"{Key} ({Kind} {Condition} -> pair {Pair})";
}
