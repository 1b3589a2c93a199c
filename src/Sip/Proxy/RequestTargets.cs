using System.Net;
using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// What a request says about where it goes, read once after validation: how many leading Routes are ours, the
/// next hop it names (§16.4, §16.5), the Request-URI's user and host for routing rules, and the next-hop header.
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

    /// <summary>How many Route values at the top name this proxy: two after a transport bridge (RFC 5658).</summary>
    public int CountOwnRoutes(SipMessage request)
    {
        var count = 0;
        while (count < request.Routes.Count && IsOwnRoute(request, request.Routes[count]))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The next hop the request names: the first Route left after ours, else the Request-URI.
    /// <paramref name="target"/> is null when that names this proxy, or is a tel: number.
    /// </summary>
    public bool TryFindTarget(SipMessage request, int firstRoute, out NextHop? target, out bool isRequestUri)
    {
        target = null;
        isRequestUri = firstRoute >= request.Routes.Count;
        ReadOnlySpan<byte> uriText;
        if (isRequestUri)
        {
            uriText = request[request.RequestUri];
        }
        else if (!TryUriOf(request[request.Routes[firstRoute].Value], out uriText))
        {
            return false;
        }

        if (!SipUri.TryParse(uriText, out var uri) || !uri.IsSip)
        {
            // A number to call (RFC 3966) has no host to go to: like a request to us, the routing rules place it.
            return isRequestUri && TelUri.IsTel(uriText);
        }

        if (isRequestUri && identity.IsSelf(uriText[uri.Host], uri.Port))
        {
            return true;
        }

        target = NextHop.FromUri(uriText, uri);
        return true;
    }

    public RoutingRequest Describe(SipMessage request, IPEndPoint source, ISipTransport transport, NextHop? target, out int nextHopHeaderIndex)
    {
        var user = string.Empty;
        var host = string.Empty;
        var uriText = request[request.RequestUri];
        if (TelUri.TryGetNumber(uriText, out var number))
        {
            user = TelUri.RoutingNumber(number);
        }
        else if (SipUri.TryParse(uriText, out var uri))
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
