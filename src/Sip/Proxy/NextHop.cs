using System.Net;

namespace OrleansProxy.Sip.Proxy;

/// <param name="Host">Host without IPv6 brackets.</param>
/// <param name="Port">The URI's port, or the scheme's default.</param>
/// <param name="Address">The host as an address when it is one; null for a host name.</param>
public sealed record NextHop(string Host, int Port, IPAddress? Address)
{
    public override string ToString() => Address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
