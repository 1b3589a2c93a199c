using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <param name="Source">The address the request came from.</param>
/// <param name="Target">The next hop named by the request (top Route after ours are removed, else the Request-URI); null when it names this proxy or is a tel: number (<see cref="RequestUriUser"/> holds it).</param>
public sealed record RoutingRequest(IPEndPoint Source, SipMethod Method, bool InDialog, NextHop? Target)
{
    /// <summary>The listener the request arrived on.</summary>
    public LocalHop? Listener { get; init; }

    /// <summary>The Request-URI's user part, or a tel: URI's number without visual separators; empty when it has none.</summary>
    public string RequestUriUser { get; init; } = string.Empty;

    /// <summary>The Request-URI's host (domain or address, IPv6 without brackets).</summary>
    public string RequestUriHost { get; init; } = string.Empty;

    /// <summary>
    /// The next hop named by the configured next-hop header (<see cref="ProxyCoreOptions.NextHopHeader"/>), which
    /// the proxy always strips; the resolver decides whether the sender may use it.
    /// </summary>
    public NextHop? NamedNextHop { get; init; }
}
