using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <param name="Host">Host without IPv6 brackets.</param>
/// <param name="Port">The URI's port, or the default of its scheme and transport.</param>
/// <param name="Address">The host as an address when it is one; null for a host name.</param>
/// <param name="Transport">The transport the URI asks for (<c>transport=</c>, or TLS for <c>sips:</c>); null when it names none.</param>
public sealed record NextHop(string Host, int Port, IPAddress? Address, SipTransportKind? Transport = null)
{
    /// <summary>True when the URI named no port, so RFC 3263 SRV lookup applies to a host name.</summary>
    public bool PortIsDefault { get; init; }

    public override string ToString() => Address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
