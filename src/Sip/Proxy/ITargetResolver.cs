using System.Net;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Decides the next hop of each request. The proxy core knows nothing of pairs or grains; the host plugs in
/// the policy (DESIGN.md: the pair's active member for user agents, Route/Request-URI for servers).
/// </summary>
public interface ITargetResolver
{
    ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Why this proxy cannot serve <paramref name="source"/> now, as a 503 reason phrase, or null when it can: an
    /// OPTIONS addressed to the proxy gets 200, or 503 with this reason so that the client moves to another proxy.
    /// </summary>
    ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken);

    /// <summary>
    /// A transaction forwarded to <paramref name="destination"/> failed there. The resolver records the evidence
    /// (the pair may switch) and names where to retry the transaction once, or null when there is nowhere to go.
    /// </summary>
    ValueTask<IPEndPoint?> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IPEndPoint?>(null);
}
