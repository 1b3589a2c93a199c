using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Flows;

/// <summary>
/// What the Routes of ours at the top of a request say about flows (RFC 5626 §5.3): a flow token that names another
/// flow than the one the request came on makes that flow the request's target ("incoming": a server's request for a
/// user agent that registered or dialled through this proxy). A request that came on the very flow its token names is
/// the user agent's own ("outgoing") and is routed like any other. A token whose flow is gone is refused with 430
/// Flow Failed, so the sender tries the user agent's other flows or waits for it to register again; a forged one with 403.
/// </summary>
/// <param name="Target">The flow the request goes to; null when it goes where it names.</param>
/// <param name="RefusalStatus">430 or 403 when the request is answered here; 0 when it goes on.</param>
internal readonly record struct FlowRoute(Flow? Target, int RefusalStatus, string? RefusalReason)
{
    private static readonly FlowRoute None = new(null, 0, null);
    private static readonly FlowRoute Gone = new(null, 430, "Flow Failed");
    private static readonly FlowRoute Forged = new(null, 403, "Forbidden (flow token not valid)");

    public static FlowRoute Find(FlowTokens tokens, SipMessage request, int ownRoutes, IPEndPoint source, ISipTransport transport)
    {
        for (var i = 0; i < ownRoutes; i++)
        {
            var value = request[request.Routes[i].Value];
            if (!NameAddress.TrySplit(value, out var uriRange, out _) || !SipUri.TryParse(value[uriRange], out var uri)
                || uri.User.GetOffsetAndLength(value[uriRange].Length).Length == 0)
            {
                continue;
            }

            switch (tokens.Read(value[uriRange][uri.User], out var flow))
            {
                case FlowTokenStatus.Valid when ReferenceEquals(flow.Transport, transport) && flow.Remote.Equals(source):
                    return None;
                case FlowTokenStatus.Valid:
                    return flow.IsOpen ? new FlowRoute(flow, 0, null) : Gone;
                case FlowTokenStatus.OtherRun:
                    return Gone;
                case FlowTokenStatus.Forged:
                    return Forged;
            }
        }

        return None;
    }
}
