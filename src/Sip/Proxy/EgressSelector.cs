using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// The listener a message leaves from, among those of its transport and address family. On a node with listeners on
/// several addresses (dual-homed: one network towards phones, one towards servers) it is the one that reaches the
/// destination (RFC 5658 §4): the listener the route names, else the one on the address the route table would send
/// from (a listener on every address sends from any). Otherwise, and when nothing matches, the listener the request
/// came in on, else the first. Only a transport and family with listeners on several addresses asks the route
/// table, so a single-homed node pays nothing for it.
/// </summary>
internal sealed class EgressSelector
{
    private readonly Dictionary<(SipTransportKind Transport, AddressFamily Family), Listeners> byKind = [];
    private readonly IRouteTable routes;

    public EgressSelector(IEnumerable<ISipTransport> transports, IRouteTable routes)
    {
        this.routes = routes;
        foreach (var group in transports.GroupBy(transport => (transport.Hop.Transport, transport.Hop.EndPoint.AddressFamily)))
        {
            var listeners = group.ToArray();
            var addresses = listeners.Select(listener => listener.Hop.EndPoint.Address).Distinct().Count();
            byKind[group.Key] = new Listeners(listeners, addresses > 1);
        }
    }

    /// <param name="egress">The listener (its bound endpoint) the route names; null when it names none.</param>
    /// <returns>Null when no listener has this transport and family.</returns>
    public ISipTransport? Select(ISipTransport inbound, SipTransportKind transport, IPEndPoint destination, IPEndPoint? egress)
    {
        var inboundFits = inbound.Hop.Transport == transport && inbound.Hop.EndPoint.AddressFamily == destination.AddressFamily;
        if (!byKind.TryGetValue((transport, destination.AddressFamily), out var listeners))
        {
            // A proxy that knows no listeners but by name sends everything back the way it came.
            return inboundFits ? inbound : null;
        }

        IPAddress? source = null;
        if (egress is not null)
        {
            foreach (var listener in listeners.All)
            {
                if (listener.Hop.EndPoint.Equals(egress))
                {
                    return listener;
                }
            }

            // The route names a listener of another transport (a request too large for UDP moves to TCP): its address still names the interface.
            source = egress.Address;
        }
        else if (listeners.OnSeveralAddresses)
        {
            source = routes.SourceAddressFor(destination.Address);
        }

        if (source is not null && OnAddress(listeners.All, inbound, source) is { } onSource)
        {
            return onSource;
        }

        return inboundFits ? inbound : listeners.All[0];
    }

    private static ISipTransport? OnAddress(ISipTransport[] listeners, ISipTransport inbound, IPAddress source)
    {
        ISipTransport? bound = null;
        ISipTransport? wildcard = null;
        foreach (var listener in listeners)
        {
            if (listener.Hop.EndPoint.Address.Equals(source))
            {
                if (ReferenceEquals(listener, inbound))
                {
                    return listener;
                }

                bound ??= listener;
            }
            else if (listener.Hop.IsWildcard)
            {
                wildcard ??= listener;
            }
        }

        return bound ?? wildcard;
    }

    private sealed record Listeners(ISipTransport[] All, bool OnSeveralAddresses);
}
