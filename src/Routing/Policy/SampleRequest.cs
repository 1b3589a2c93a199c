using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Routing.Policy;

/// <summary>
/// The routing request an INVITE without Route headers would produce, built from an operator's query
/// (/api/routes?ruri=...&amp;source=...&amp;listener=...) with the proxy core's own URI parsing and "is this us" check.
/// The host finds the listener the query names among those it is configured with.
/// </summary>
internal static class SampleRequest
{
    /// <param name="error">What is wrong with the query, naming the parameter, when false is returned.</param>
    public static bool TryCreate(
        string? requestUri,
        string? source,
        LocalHop listener,
        ProxyIdentity identity,
        [NotNullWhen(true)] out RoutingRequest? request,
        out string error)
    {
        request = null;
        if (string.IsNullOrWhiteSpace(requestUri) || string.IsNullOrWhiteSpace(source))
        {
            error = "give both ruri (e.g. sip:alice@example.com) and source (IP[:port])";
            return false;
        }

        var uriText = Encoding.UTF8.GetBytes(requestUri.Trim());
        var isNumber = TelUri.IsTel(uriText);
        var uri = default(SipUri);
        if (!isNumber && (!SipUri.TryParse(uriText, out uri) || !uri.IsSip))
        {
            error = $"ruri '{requestUri}' is not a sip:, sips: or tel: URI";
            return false;
        }

        if (!IPEndPoint.TryParse(source.Trim(), out var sourceEndPoint))
        {
            error = $"source '{source}' is not IP[:port]";
            return false;
        }

        if (sourceEndPoint.Port == 0)
        {
            sourceEndPoint.Port = SipTransportKind.Udp.DefaultPort();
        }

        request = isNumber ? ForNumber(uriText, sourceEndPoint, listener) : ForSipUri(uriText, uri, sourceEndPoint, listener, identity);
        error = string.Empty;
        return true;
    }

    private static RoutingRequest ForSipUri(byte[] uriText, SipUri uri, IPEndPoint source, LocalHop hop, ProxyIdentity identity)
    {
        var target = identity.IsSelf(uriText.AsSpan()[uri.Host], uri.Port) ? null : NextHop.FromUri(uriText, uri);
        return new RoutingRequest(source, SipMethod.Invite, InDialog: false, target)
        {
            Listener = hop,
            RequestUriUser = Encoding.UTF8.GetString(uriText.AsSpan()[uri.User]),
            RequestUriHost = Encoding.ASCII.GetString(SipUri.HostWithoutBrackets(uriText.AsSpan()[uri.Host])),
        };
    }

    // A number names no next hop: the rules place it by its digits, as the proxy core does for a tel: Request-URI.
    private static RoutingRequest ForNumber(byte[] uriText, IPEndPoint source, LocalHop hop)
    {
        TelUri.TryGetNumber(uriText, out var number);
        return new RoutingRequest(source, SipMethod.Invite, InDialog: false, Target: null)
        {
            Listener = hop,
            RequestUriUser = TelUri.RoutingNumber(number),
        };
    }
}
