using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Proxy;

/// <summary>Takes over a request that passed validation (§16.3) and Route processing (§16.4): the stateful proxy's transaction layer.</summary>
internal interface IRequestDispatcher
{
    /// <returns>False to leave the request to the stateless path (an ACK or CANCEL that matches no transaction).</returns>
    ValueTask<bool> TryDispatchAsync(SipMessage request, RoutingRequest routing, RequestRoute route, CancellationToken cancellationToken);
}
