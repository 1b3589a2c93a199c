using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// The name a TLS server's certificate must carry, by the address the proxy connects to: the host of a TLS pair
/// member configured by name, and the SIP domain of a TLS target found in DNS (RFC 5922 §4: the domain the URI
/// named, not the SRV target). An address known by no name is checked by its chain alone.
/// </summary>
internal sealed class TlsServerNames
{
    // Names come from configuration and from domains servers route to: bounded all the same, since a server's
    // Request-URI chooses the domain. Past it, a new address is checked by its chain alone.
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<IPEndPoint, string> names = new();

    public TlsServerNames(PairDirectory directory)
    {
        AddMembers(directory);
    }

    /// <summary>Learns the names of TLS members configured by name; a reload calls it for the members it brings in.</summary>
    public void AddMembers(PairDirectory directory)
    {
        foreach (var member in directory.Members)
        {
            var host = member.Address[..member.Address.LastIndexOf(':')].Trim('[', ']');
            if (member.Transport == SipTransportKind.Tls && !IPAddress.TryParse(host, out _))
            {
                names[member.EndPoint] = host;
            }
        }
    }

    public string? For(IPEndPoint endPoint) => names.GetValueOrDefault(endPoint);

    /// <summary>A TLS target of <paramref name="domain"/> was found at <paramref name="endPoint"/>.</summary>
    public void Located(IPEndPoint endPoint, string domain)
    {
        if (names.Count < Capacity || names.ContainsKey(endPoint))
        {
            names[endPoint] = domain;
        }
    }
}
