using System.Net.Sockets;
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

    public static bool TryPlan(
        ProxyIdentity identity,
        ProxyCoreOptions options,
        SipMessage request,
        RouteDecision decision,
        RequestRoute route,
        out ISipTransport? outbound,
        out ForwardingPlan plan)
    {
        var destination = decision.Destination!;
        outbound = identity.SelectTransport(route.Inbound, decision.Transport, destination, decision.Egress);
        plan = default;
        if (outbound is null)
        {
            return false;
        }

        var addRecordRoute = options.RecordRoute && !request.IsInDialog && SipMethods.CreatesDialog(request.Method);
        var recordRoute = addRecordRoute ? identity.RecordRouteFor(route.Inbound.Hop, outbound.Hop) : [];
        if (outbound.Hop.Transport == SipTransportKind.Udp
            && request.FramedLength + recordRoute.Length + EditAllowance > options.UdpMaxRequestBytes
            && identity.SelectTransport(route.Inbound, SipTransportKind.Tcp, destination, decision.Egress) is { } stream)
        {
            outbound = stream;
            recordRoute = addRecordRoute ? identity.RecordRouteFor(route.Inbound.Hop, outbound.Hop) : [];
        }

        plan = new ForwardingPlan(outbound.Hop, route.Source, recordRoute, route.OwnRoutes, route.NextHopHeader, route.Inbound.Hop.Transport.IsStream());
        return true;
    }

    public static string NoListenerReason(RouteDecision decision) =>
        $"Service Unavailable (no {decision.Transport.ToString().ToLowerInvariant()} listener for {(decision.Destination!.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")})";
}
