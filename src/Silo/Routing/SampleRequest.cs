using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Silo.Routing;

/// <summary>
/// The routing request an INVITE without Route headers would produce, built from an operator's query
/// (/api/routes?ruri=...&amp;source=...&amp;listener=...) with the proxy core's own URI parsing and "is this us" check.
/// </summary>
internal static class SampleRequest
{
    /// <param name="error">What is wrong with the query, naming the parameter, when false is returned.</param>
    public static bool TryCreate(
        string? requestUri,
        string? source,
        string? listener,
        ProxySettings settings,
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

        if (!TryFindListener(listener, settings, out var hop, out error))
        {
            return false;
        }

        request = isNumber ? ForNumber(uriText, sourceEndPoint, hop) : ForSipUri(uriText, uri, sourceEndPoint, hop, settings);
        return true;
    }

    private static RoutingRequest ForSipUri(byte[] uriText, SipUri uri, IPEndPoint source, LocalHop hop, ProxySettings settings)
    {
        var hops = settings.Listen.Select(l => l.ToLocalHop()).ToArray();
        var identity = new ProxyIdentity(hops, settings.Aliases);
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

    private static bool TryFindListener(string? text, ProxySettings settings, [NotNullWhen(true)] out LocalHop? hop, out string error)
    {
        var listen = settings.Listen[0];
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!ListenEndpoint.TryParse(text.Trim(), out var named, out var fault))
            {
                hop = null;
                error = $"listener: {fault}";
                return false;
            }

            if (named.FindIn(settings.Listen) is not { } configured)
            {
                hop = null;
                error = $"listener '{text}' is not one of Proxy:Listen ({string.Join(", ", settings.Listen)})";
                return false;
            }

            listen = configured;
        }

        hop = listen.ToLocalHop();
        error = string.Empty;
        return true;
    }
}
