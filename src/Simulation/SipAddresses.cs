using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Simulation;

/// <summary>Endpoint text as SIP writes it, and back: the simulation's peers only ever use IP addresses, never names.</summary>
internal static class SipAddresses
{
    /// <summary>host:port, with an IPv6 host in brackets (RFC 3261 §25.1).</summary>
    public static string HostPort(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";

    /// <summary>The address a URI or name-addr (<c>&lt;sip:host:port;lr&gt;</c>) points at, when its host is an IP address.</summary>
    public static bool TryGetEndPoint(string uriOrNameAddress, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        ReadOnlySpan<byte> text = Encoding.ASCII.GetBytes(uriOrNameAddress);
        if (!NameAddress.TrySplit(text, out var uriRange, out _))
        {
            return false;
        }

        var uriText = text[uriRange];
        if (!SipUri.TryParse(uriText, out var uri) || !uri.IsSip
            || !IPAddress.TryParse(SipUri.HostWithoutBrackets(uriText[uri.Host]), out var address))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, uri.PortOrDefault);
        return true;
    }

    /// <summary>The URI of a name-addr or bare URI, without angle brackets and header parameters.</summary>
    public static string UriOf(string nameAddress)
    {
        ReadOnlySpan<byte> text = Encoding.ASCII.GetBytes(nameAddress);
        return NameAddress.TrySplit(text, out var uri, out _) ? Encoding.ASCII.GetString(text[uri]) : nameAddress;
    }
}
