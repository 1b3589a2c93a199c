using System.Net;
using CommunityToolkit.HighPerformance.Buffers;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Flows;

/// <summary>
/// A flow (RFC 5626 §3.4): how a user agent reaches this proxy, so that a request for it goes back the same way (its
/// NAT binding, its connection) instead of to its Contact, which behind NAT or for a TCP or TLS phone nobody can reach.
/// </summary>
/// <param name="Transport">The listener the flow runs on.</param>
/// <param name="Remote">The user agent's address as this proxy sees it, after any NAT.</param>
/// <param name="ConnectionId">On a stream listener, the connection (<see cref="StreamTransport.TryGetConnectionId"/>); 0 over UDP.</param>
internal readonly record struct Flow(ISipTransport Transport, IPEndPoint Remote, long ConnectionId)
{
    /// <summary>
    /// Over UDP a flow lasts as long as the user agent's NAT binding, which nothing here can see; over TCP or TLS only
    /// as long as its connection: a new connection from the same address is another flow.
    /// </summary>
    public bool IsOpen => Transport is not StreamTransport stream || (stream.TryGetConnectionId(Remote, out var id) && id == ConnectionId);

    /// <summary>The flow a request from <paramref name="source"/> came on; false when its connection has closed since.</summary>
    public static bool TryGetArrival(IPEndPoint source, ISipTransport transport, out Flow flow)
    {
        var connectionId = 0L;
        var open = transport is not StreamTransport stream || stream.TryGetConnectionId(source, out connectionId);
        flow = new Flow(transport, source, connectionId);
        return open;
    }

    /// <summary>True when <paramref name="decision"/> sends the request to this flow's address over its transport.</summary>
    public bool Leads(RouteDecision decision) =>
        Remote.Equals(decision.Destination) && decision.Transport == Transport.Hop.Transport;

    /// <summary>The flow as a next hop for the resolver: the user agent's address and the flow's transport.</summary>
    public NextHop ToNextHop()
    {
        Span<char> host = stackalloc char[64];
        Remote.Address.TryFormat(host, out var written);
        return new NextHop(StringPool.Shared.GetOrAdd(host[..written]), Remote.Port, Remote.Address, Transport.Hop.Transport) { IsFlow = true };
    }
}
