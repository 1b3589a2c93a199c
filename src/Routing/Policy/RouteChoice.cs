using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Policy;

/// <summary>What the routing policy decided for one request, and why (the reason is what /api/routes shows).</summary>
internal abstract record RouteChoice(string Reason)
{
    /// <summary>To the pair's active member, which only the pair's grain knows.</summary>
    public sealed record ToPair(string Pair, string Reason) : RouteChoice(Reason);

    /// <summary>To an address known without a lookup: an IP literal, or a static route to one.</summary>
    public sealed record ToAddress(IPEndPoint EndPoint, SipTransportKind Transport, string Reason) : RouteChoice(Reason);

    /// <summary>To wherever RFC 3263 server location finds <paramref name="Hop"/>.</summary>
    public sealed record ToLocate(NextHop Hop, string Reason) : RouteChoice(Reason);

    /// <summary>Answered by the proxy with <paramref name="StatusCode"/>; <paramref name="Reason"/> is the reason phrase.</summary>
    public sealed record Refuse(int StatusCode, string Reason) : RouteChoice(Reason);
}
