using System.Net;
using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// What a request says about where it goes, read once after validation: how many leading Routes are ours and how
/// strict routing and maddr rewrite it (§16.4), the next hop it names (§16.5), the Request-URI's user and host for
/// routing rules, and the next-hop header.
/// </summary>
internal sealed class RequestTargets
{
    private readonly ProxyIdentity identity;
    private readonly byte[]? nextHopHeader;

    public RequestTargets(ProxyIdentity identity, string? nextHopHeader)
    {
        this.identity = identity;
        this.nextHopHeader = nextHopHeader is null ? null : Encoding.ASCII.GetBytes(nextHopHeader);
    }

    /// <summary>
    /// Route processing (§16.4) and the next hop it leaves (§16.5). A Request-URI that is our Record-Route, where a
    /// strict router put it, is restored from the last Route; a maddr that names us is stripped; the leading Routes that
    /// name us (two after a transport bridge, RFC 5658) are counted, to be popped. The next hop is the first Route left,
    /// a strict router when it has no <c>lr</c> (§16.6 step 6), else the Request-URI as processed.
    /// <paramref name="target"/> is null when that names this proxy, or is a tel: number.
    /// </summary>
    public bool TryFindTarget(SipMessage request, LocalHop inbound, out int ownRoutes, out RouteRewrite rewrite, out NextHop? target, out bool isRequestUri)
    {
        target = null;
        rewrite = default;
        var routes = request.Routes;
        var routeCount = routes.Count;
        if (routeCount > 0 && IsOwnRecordRoute(request) && TryUriRange(request, routes[routeCount - 1], out var restored))
        {
            rewrite = rewrite with { RestoredUri = restored };
            routeCount--;
        }

        ownRoutes = 0;
        while (ownRoutes < routeCount && IsOwnRoute(request, routes[ownRoutes]))
        {
            ownRoutes++;
        }

        var requestUri = rewrite.RequestUriOf(request);
        var uriText = request[requestUri];
        var isSip = request.TryParseUri(requestUri, out var uri) && uri.IsSip;
        if (isSip)
        {
            StripOwnMaddr(uriText, uri, requestUri.Offset, inbound, ref rewrite);
        }

        isRequestUri = ownRoutes >= routeCount;
        if (!isRequestUri)
        {
            if (!TryUriRange(request, routes[ownRoutes], out var routeUri)
                || !SipUri.TryParse(request[routeUri], out var next) || !next.IsSip)
            {
                return false;
            }

            if (!next.HasParameter(request[routeUri], "lr"u8))
            {
                rewrite = rewrite with { StrictRouterUri = routeUri };
            }

            target = NextHop.FromUri(request[routeUri], next);
            return true;
        }

        if (!isSip)
        {
            // A number to call (RFC 3966) has no host to go to: like a request to us, the routing rules place it.
            return TelUri.IsTel(uriText);
        }

        if (rewrite.StrippedMaddr.Length > 0)
        {
            // §16.4: processed as if maddr, port and transport were not there. Rare enough to allocate for.
            var stripped = new byte[uriText.Length];
            uriText = stripped.AsSpan(0, rewrite.CopyRequestUri(request, stripped));
            if (!SipUri.TryParse(uriText, out uri))
            {
                return false;
            }
        }

        if (identity.IsSelf(uriText[uri.Host], uri.Port))
        {
            return true;
        }

        target = NextHop.FromUri(uriText, uri);
        return true;
    }

    public RoutingRequest Describe(SipMessage request, IPEndPoint source, ISipTransport transport, NextHop? target, RouteRewrite rewrite, out int nextHopHeaderIndex)
    {
        var user = string.Empty;
        var host = string.Empty;
        var requestUri = rewrite.RequestUriOf(request);
        var uriText = request[requestUri];
        if (TelUri.TryGetNumber(uriText, out var number))
        {
            user = TelUri.RoutingNumber(number);
        }
        else if (request.TryParseUri(requestUri, out var uri))
        {
            user = StringPool.Shared.GetOrAdd(uriText[uri.User], Encoding.UTF8);
            host = StringPool.Shared.GetOrAdd(SipUri.HostWithoutBrackets(uriText[uri.Host]), Encoding.ASCII);
        }

        return new RoutingRequest(source, request.Method, request.IsInDialog, target)
        {
            Listener = transport.Hop,
            RequestUriUser = user,
            RequestUriHost = host,
            NamedNextHop = FindNamedNextHop(request, out nextHopHeaderIndex),
        };
    }

    private NextHop? FindNamedNextHop(SipMessage request, out int headerIndex)
    {
        headerIndex = -1;
        if (nextHopHeader is null)
        {
            return null;
        }

        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Kind == HeaderKind.Other && Ascii.EqualsIgnoreCase(request[headers[i].Name], nextHopHeader))
            {
                headerIndex = i;
                return TryUriOf(request[headers[i].Value], out var uriText) && SipUri.TryParse(uriText, out var uri) && uri.IsSip
                    ? NextHop.FromUri(uriText, uri)
                    : null;
            }
        }

        return null;
    }

    /// <summary>
    /// §16.4: the Request-URI names this proxy and carries <c>lr</c>, as every Record-Route we write does: a strict
    /// router put our Record-Route there, and the Request-URI it replaced is the last Route.
    /// </summary>
    private bool IsOwnRecordRoute(SipMessage request)
    {
        var uriText = request[request.RequestUri];
        return request.TryParseUri(request.RequestUri, out var uri) && uri.IsSip && identity.IsSelf(uriText[uri.Host], uri.Port) && uri.HasParameter(uriText, "lr"u8);
    }

    /// <summary>
    /// §16.4: a maddr that names this proxy, on a request received on the port and transport the URI names (explicitly
    /// or by default), goes, with the transport parameter and a port other than the transport's default.
    /// </summary>
    private void StripOwnMaddr(ReadOnlySpan<byte> uriText, SipUri uri, int uriOffset, LocalHop inbound, ref RouteRewrite rewrite)
    {
        var (parametersOffset, parametersLength) = uri.Parameters.GetOffsetAndLength(uriText.Length);
        var parameters = uriText.Slice(parametersOffset, parametersLength);
        if (!SipParameters.TryFind(parameters, "maddr"u8, out var maddr))
        {
            return;
        }

        var transport = uri.Scheme == UriScheme.Sips ? SipTransportKind.Tls : SipTransportKind.Udp;
        var hasTransport = SipParameters.TryFind(parameters, "transport"u8, out var transportValue);
        if (hasTransport && uri.Scheme != UriScheme.Sips && !SipTransportNames.TryParse(parameters[transportValue], out transport))
        {
            return;
        }

        var port = uri.Port != 0 ? uri.Port : transport.DefaultPort();
        if (inbound.Transport != transport || inbound.EndPoint.Port != port || !identity.IsSelf(parameters[maddr], port))
        {
            return;
        }

        var parametersStart = uriOffset + parametersOffset;
        var hostEnd = uri.Host.End.GetOffset(uriText.Length);
        rewrite = rewrite with
        {
            StrippedMaddr = ParameterRange(parameters, maddr, parametersStart),
            StrippedTransport = hasTransport ? ParameterRange(parameters, transportValue, parametersStart) : default,
            StrippedPort = uri.Port != 0 && uri.Port != transport.DefaultPort() ? new TextRange(uriOffset + hostEnd, parametersOffset - hostEnd) : default,
        };
    }

    /// <summary>From the ';' that opens a parameter to the end of its value, as a range of the message.</summary>
    private static TextRange ParameterRange(ReadOnlySpan<byte> parameters, Range value, int parametersStart)
    {
        var (valueStart, valueLength) = value.GetOffsetAndLength(parameters.Length);
        var open = parameters[..valueStart].LastIndexOf((byte)';');
        return new TextRange(parametersStart + open, valueStart + valueLength - open);
    }

    /// <summary>The URI of a Route value, as a range of the message.</summary>
    private static bool TryUriRange(SipMessage request, HeaderValue route, out TextRange uri)
    {
        uri = default;
        if (!NameAddress.TrySplit(request[route.Value], out var range, out _))
        {
            return false;
        }

        var (offset, length) = range.GetOffsetAndLength(route.Value.Length);
        uri = new TextRange(route.Value.Offset + offset, length);
        return true;
    }

    private static bool TryUriOf(ReadOnlySpan<byte> nameAddress, out ReadOnlySpan<byte> uriText)
    {
        uriText = default;
        if (!NameAddress.TrySplit(nameAddress, out var uriRange, out _))
        {
            return false;
        }

        uriText = nameAddress[uriRange];
        return true;
    }

    private bool IsOwnRoute(SipMessage request, HeaderValue route)
    {
        var text = request[route.Value];
        return TryUriOf(text, out var uriText)
            && SipUri.TryParse(uriText, out var uri)
            && uri.IsSip
            && identity.IsSelf(uriText[uri.Host], uri.Port);
    }
}
