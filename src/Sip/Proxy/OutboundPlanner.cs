using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Picks the listener a routed request leaves from and how it is rewritten: the transport the resolver named,
/// TCP instead of UDP for a request too large for a datagram (RFC 3261 §18.1.1), the interface that reaches the
/// destination, and the Record-Route that names both sides when the request changes listener (RFC 5658).
/// </summary>
internal static class OutboundPlanner
{
    // Our Via, received/rport on the sender's and a Max-Forwards line, on top of the Record-Route.
    private const int EditAllowance = 160;

    /// <summary>
    /// The listener and rewrite for a request <paramref name="decision"/> forwards. False when it is not forwarded:
    /// the decision was a refusal, or this proxy has no listener for it, which turns it into a 503 that says so.
    /// </summary>
    /// <param name="udpFallback">Set when the request was moved from UDP to TCP for its size alone: the listener it
    /// leaves from after all should the next hop refuse the connection (§18.1.1); null otherwise.</param>
    public static bool TryPlan(
        ProxyIdentity identity,
        ProxyCoreOptions options,
        SipMessage request,
        ref RouteDecision decision,
        RequestRoute route,
        [NotNullWhen(true)] out ISipTransport? outbound,
        out ForwardingPlan plan,
        out ISipTransport? udpFallback)
    {
        outbound = null;
        plan = default;
        udpFallback = null;
        if (decision.Destination is not { } destination)
        {
            return false;
        }

        // RFC 5626 §5.3.1: a request for a flow leaves on the flow's own listener, which holds its connection or NAT
        // binding, and stays there whatever its size: the user agent can be reached no other way.
        var overFlow = route.Flow is { } flow && flow.Leads(decision);
        outbound = overFlow ? route.Flow!.Value.Transport : identity.SelectTransport(route.Inbound, decision.Transport, destination, decision.Egress);
        if (outbound is null)
        {
            decision = RouteDecision.Reject(503, NoListenerReason(decision), options.RetryAfterSeconds);
            return false;
        }

        plan = PlanFor(identity, options, request, route, outbound, overFlow);
        if (!overFlow
            && outbound.Hop.Transport == SipTransportKind.Udp
            && options.UdpMaxRequestBytes > 0
            && request.FramedLength + plan.RecordRoute.Length + plan.FlowHeaders.MaxLength + EditAllowance > options.UdpMaxRequestBytes
            && identity.SelectTransport(route.Inbound, SipTransportKind.Tcp, destination, decision.Egress) is { } stream)
        {
            udpFallback = outbound;
            outbound = stream;
            plan = PlanFor(identity, options, request, route, stream, overFlow: false);
        }

        return true;
    }

    /// <summary>How the request is rewritten to leave from <paramref name="outbound"/>: our Via and Record-Route name it.</summary>
    /// <param name="overFlow">The request goes to a user agent's flow (RFC 5626) on that flow's own listener.</param>
    public static ForwardingPlan PlanFor(ProxyIdentity identity, ProxyCoreOptions options, SipMessage request, RequestRoute route, ISipTransport outbound, bool overFlow)
    {
        var addRecordRoute = options.RecordRoute && !request.IsInDialog && SipMethods.CreatesDialog(request.Method);
        var recordRoute = addRecordRoute ? identity.RecordRouteFor(route.Inbound.Hop, outbound.Hop) : [];
        var flowHeaders = FlowHeaderPolicy.For(identity, options, request, route, outbound.Hop, overFlow, addRecordRoute);

        // A flow's own Record-Route replaces the pool's: in-dialog requests for its user agent must reach this instance.
        return new ForwardingPlan(outbound.Hop, route.Source, flowHeaders.IsEmpty ? recordRoute : default, route.OwnRoutes, route.NextHopHeader, route.Inbound.Hop.Transport.IsStream(), Rewrite: route.Rewrite)
        {
            FlowHeaders = flowHeaders,
        };
    }

    private static string NoListenerReason(RouteDecision decision) =>
        $"Service Unavailable (no {decision.Transport.ToString().ToLowerInvariant()} listener for {(decision.Destination!.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")})";
}
