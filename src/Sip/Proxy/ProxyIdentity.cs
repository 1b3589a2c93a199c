using System.Net;
using System.Text;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Every name under which this proxy may appear in a Route, Request-URI or Via: the addresses it listens
/// on and its configured aliases (the pool's FQDN). Route processing pops our own entries (RFC 3261 §16.4).
/// </summary>
public sealed class ProxyIdentity
{
    private readonly IReadOnlyList<LocalHop> hops;
    private readonly byte[][] aliases;

    public ProxyIdentity(IReadOnlyList<LocalHop> hops, IEnumerable<string> aliases)
    {
        this.hops = hops;
        this.aliases = aliases.Select(alias => Encoding.ASCII.GetBytes(alias)).ToArray();
    }

    public IReadOnlyList<LocalHop> Hops => hops;

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

        if (!IPAddress.TryParse(bare, out var address))
        {
            return false;
        }

        var effectivePort = port == 0 ? 5060 : port;
        foreach (var hop in hops)
        {
            if (hop.EndPoint.Port == effectivePort && hop.EndPoint.Address.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a Via sent-by is one of our listeners.</summary>
    public bool IsOwnSentBy(ReadOnlySpan<byte> sentBy)
    {
        foreach (var hop in hops)
        {
            if (sentBy.SequenceEqual(hop.SentBy))
            {
                return true;
            }
        }

        return false;
    }

    private bool ListensOnPort(int port)
    {
        foreach (var hop in hops)
        {
            if (hop.EndPoint.Port == port)
            {
                return true;
            }
        }

        return false;
    }
}
