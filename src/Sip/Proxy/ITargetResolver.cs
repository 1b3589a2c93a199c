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
    /// Traffic to <paramref name="destination"/> went wrong while its transaction goes on (no response within the
    /// failover time-out): a hint for the resolver to check the hop, never a reason to move the transaction.
    /// </summary>
    void ReportHint(IPEndPoint destination, TransactionFailure hint)
    {
    }

    /// <summary>
    /// A transaction forwarded to <paramref name="destination"/> cannot be answered from there (503, the send failed,
    /// the connection broke, the hop was found down). The resolver names where to retry it once, or how to answer the
    /// caller instead (<c>default</c> leaves the answer to the proxy); it may wait, bounded, for a server that can take it.
    /// </summary>
    ValueTask<RouteDecision> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken) =>
        ValueTask.FromResult(default(RouteDecision));
}
