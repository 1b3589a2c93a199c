using System.Net;
using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Proxy;

/// <param name="Host">Host without IPv6 brackets.</param>
/// <param name="Port">The URI's port, or the default of its scheme and transport.</param>
/// <param name="Address">The host as an address when it is one; null for a host name.</param>
/// <param name="Transport">The transport the URI asks for (<c>transport=</c>, or TLS for <c>sips:</c>); null when it names none.</param>
public sealed record NextHop(string Host, int Port, IPAddress? Address, SipTransportKind? Transport = null)
{
    /// <summary>True when the URI named no port, so RFC 3263 SRV lookup applies to a host name.</summary>
    public bool PortIsDefault { get; init; }

    /// <summary>
    /// The hop is a flow (RFC 5626) that a Route of ours named by its token: the address a user agent or server reached
    /// this proxy from, which only this proxy can reach back, and for TCP or TLS a port of the moment, not a listening one.
    /// </summary>
    public bool IsFlow { get; init; }

    /// <summary>The next hop a SIP URI names: its host and port, and the transport its scheme or <c>transport</c> parameter asks for.</summary>
    /// <param name="uriText">The URI's bytes, which <paramref name="uri"/>'s ranges index.</param>
    public static NextHop FromUri(ReadOnlySpan<byte> uriText, SipUri uri)
    {
        SipTransportKind? transport = uri.Scheme == UriScheme.Sips ? SipTransportKind.Tls : null;
        if (uri.Parameters.GetOffsetAndLength(uriText.Length).Length > 0
            && SipParameters.TryFind(uriText[uri.Parameters], "transport"u8, out var value)
            && SipTransportNames.TryParse(uriText[uri.Parameters][value], out var named))
        {
            transport = uri.Scheme == UriScheme.Sips ? SipTransportKind.Tls : named;
        }

        var bare = SipUri.HostWithoutBrackets(uriText[uri.Host]);
        var address = IpLiteral.TryParseAddress(bare, out var parsed) ? parsed : null;
        var port = uri.Port != 0 ? uri.Port : (transport ?? SipTransportKind.Udp).DefaultPort();
        // Pooled: the same few hosts come with every request, and a fresh string each time is most of what routing allocates.
        return new NextHop(StringPool.Shared.GetOrAdd(bare, Encoding.ASCII), port, address, transport) { PortIsDefault = uri.Port == 0 };
    }

    public override string ToString() => Address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
