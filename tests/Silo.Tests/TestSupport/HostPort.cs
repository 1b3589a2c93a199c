using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Silo.Tests.TestSupport;

internal static class HostPort
{
    /// <summary>host:port as SIP writes it, IPv6 in brackets.</summary>
    public static string Of(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";
}
