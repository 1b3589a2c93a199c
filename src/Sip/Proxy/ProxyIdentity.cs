using System.Collections.Concurrent;
using System.Net;
using System.Text;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Every name under which this proxy may appear in a Route, Request-URI or Via: the addresses it listens
/// on (or advertises) and its configured aliases (the pool's FQDN). Route processing pops our own entries
/// (RFC 3261 §16.4). It also knows the listeners, so a request can leave on another transport or interface than it
/// came on (<see cref="EgressSelector"/>), and writes the Record-Route for it: the pool's first alias when there is
/// one, so any instance can take the next transaction, and two entries when the request changes listener (RFC 5658).
/// </summary>
public sealed class ProxyIdentity
{
    private readonly IReadOnlyList<LocalHop> hops;
    private readonly EgressSelector egress;
    private readonly byte[][] aliases;
    private readonly string? recordRouteHost;
    private readonly ConcurrentDictionary<(LocalHop Inbound, LocalHop Outbound), byte[]> recordRoutes = new();

    /// <summary>Names only: every request leaves on the transport it came on.</summary>
    public ProxyIdentity(IReadOnlyList<LocalHop> hops, IEnumerable<string> aliases)
        : this(hops, [], aliases, null)
    {
    }

    /// <param name="routes">Where a node with listeners on several addresses learns which reaches a destination; null asks the operating system.</param>
    public ProxyIdentity(IReadOnlyList<ISipTransport> transports, IEnumerable<string> aliases, IRouteTable? routes = null)
        : this(transports.Select(transport => transport.Hop).ToArray(), transports, aliases, routes)
    {
    }

    private ProxyIdentity(IReadOnlyList<LocalHop> hops, IReadOnlyList<ISipTransport> transports, IEnumerable<string> aliases, IRouteTable? routes)
    {
        this.hops = hops;
        egress = new EgressSelector(transports, routes ?? new SystemRouteTable());
        var names = aliases.ToArray();
        this.aliases = names.Select(alias => Encoding.ASCII.GetBytes(alias)).ToArray();
        recordRouteHost = names.Length > 0 ? names[0] : null;
        Flows = new FlowTokens(transports);
    }

    public IReadOnlyList<LocalHop> Hops => hops;

    /// <summary>Seals and opens the flow tokens of this process's listeners (RFC 5626 §5.2).</summary>
    internal FlowTokens Flows { get; }

    /// <summary>True when host and port (0 = default port) name this proxy. Aliases match on any listening port.</summary>
    public bool IsSelf(ReadOnlySpan<byte> host, int port)
    {
        var bare = SipUri.HostWithoutBrackets(host);
        foreach (var alias in aliases)
        {
            if (Ascii.EqualsIgnoreCase(bare, alias) && (port == 0 || ListensOnPort(port)))
            {
                return true;
            }
        }

        // By index, here and in ListensOnPort: foreach over the interface would allocate an enumerator for every
        // Request-URI and Route checked.
        var address = IPAddress.TryParse(bare, out var literal) ? literal : null;
        for (var i = 0; i < hops.Count; i++)
        {
            if (hops[i].IsNamedBy(bare, address, port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a Via sent-by is one of our listeners.</summary>
    public bool IsOwnSentBy(ReadOnlySpan<byte> sentBy)
    {
        // By index: it runs for every response and every Via of every request (loop check), and the list is an interface.
        for (var i = 0; i < hops.Count; i++)
        {
            if (sentBy.SequenceEqual(hops[i].SentBy))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the sent-by of the Via <paramref name="via"/>, parsed from <paramref name="viaText"/>, is one of our listeners.</summary>
    public bool IsOwnSentBy(ReadOnlySpan<byte> viaText, Via via) => IsOwnSentBy(viaText[via.Host.Start..SentByEnd(viaText, via)]);

    /// <summary>The listener a message to <paramref name="destination"/> over <paramref name="transport"/> leaves from; null when this proxy has no such listener.</summary>
    /// <param name="inbound">The listener the request came in on, chosen when nothing else decides.</param>
    /// <param name="named">The listener (its bound endpoint) the route names; null lets the route table decide.</param>
    public ISipTransport? SelectTransport(ISipTransport inbound, SipTransportKind transport, IPEndPoint destination, IPEndPoint? named = null) =>
        egress.Select(inbound, transport, destination, named);

    /// <summary>
    /// The Record-Route header lines for a request that came in on <paramref name="inbound"/> and leaves on
    /// <paramref name="outbound"/>: one entry, or two when they name different listeners, the outbound one on top
    /// because the next hop reads the route set from the top (RFC 5658 §4), while the caller reverses it.
    /// </summary>
    public byte[] RecordRouteFor(LocalHop inbound, LocalHop outbound) =>
        recordRoutes.GetOrAdd((inbound, outbound), static (hops, self) => self.ComposeRecordRoute(hops.Inbound, hops.Outbound), this);

    private byte[] ComposeRecordRoute(LocalHop inbound, LocalHop outbound)
    {
        var outer = SingleRecordRoute(outbound);
        var inner = SingleRecordRoute(inbound);

        // Two listeners that write the same entry (one alias for both interfaces) need it once.
        return ReferenceEquals(inbound, outbound) || outer.AsSpan().SequenceEqual(inner) ? outer : [.. outer, .. inner];
    }

    private byte[] SingleRecordRoute(LocalHop hop)
    {
        if (recordRouteHost is null)
        {
            return hop.RecordRouteLine;
        }

        var transport = hop.Transport == SipTransportKind.Udp ? string.Empty : $";transport={hop.Transport.ToString().ToLowerInvariant()}";
        return Encoding.ASCII.GetBytes($"Record-Route: <sip:{recordRouteHost}{transport};lr>\r\n");
    }

    private bool ListensOnPort(int port)
    {
        for (var i = 0; i < hops.Count; i++)
        {
            if (hops[i].EndPoint.Port == port || hops[i].Advertised?.Port == port)
            {
                return true;
            }
        }

        return false;
    }

    // sent-by runs from the host to the end of the port, or to the first parameter when there is no port.
    private static int SentByEnd(ReadOnlySpan<byte> text, Via via)
    {
        var end = via.Host.End.Value;
        if (via.Port != 0)
        {
            end = text[end..].IndexOf((byte)':') + end + 1;
            while (end < text.Length && (uint)(text[end] - '0') <= 9)
            {
                end++;
            }
        }

        return end;
    }
}
