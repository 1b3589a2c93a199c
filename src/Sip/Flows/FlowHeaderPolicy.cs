using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Flows;

/// <summary>
/// Which headers naming a flow a forwarded request gets. A REGISTER gets a Path (RFC 3327) with the flow it came on,
/// unless Path is turned off. A dialog-creating request gets a Record-Route with a flow token, instead of the pool's,
/// when it goes to a user agent over a flow (a server calling a phone that registered here) or comes from a user agent
/// that asked for it with <c>ob</c> in its Contact (RFC 5626 §5.3): in-dialog requests for that user agent then find
/// its flow too, while every other dialog keeps the pool's Record-Route and may use any instance.
/// </summary>
internal static class FlowHeaderPolicy
{
    public static FlowHeaders For(ProxyIdentity identity, ProxyCoreOptions options, SipMessage request, RequestRoute route, LocalHop outbound, bool overFlow, bool recordRoute)
    {
        if (request.Method == SipMethod.Register)
        {
            return options.Path
                ? FlowHeaders.Path(identity.Flows, Flow.TryGetArrival(route.Source, route.Inbound, out var arrival) ? arrival : null, outbound, request.Vias.Count == 1, !ListsPath(request))
                : default;
        }

        if (!recordRoute)
        {
            return default;
        }

        if (overFlow)
        {
            return FlowHeaders.RecordRoute(identity.Flows, route.Flow!.Value, route.Inbound.Hop, outbound);
        }

        return HasOutboundContact(request) && Flow.TryGetArrival(route.Source, route.Inbound, out var own)
            ? FlowHeaders.RecordRoute(identity.Flows, own, route.Inbound.Hop, outbound)
            : default;
    }

    /// <remarks>
    /// RFC 3327 §5.2 would have a proxy add Path only for a user agent that lists <c>path</c> in Supported, and a strict
    /// registrar (§5.3) refuses a REGISTER with Path without it (420). Few phones list it, yet a phone behind NAT or on
    /// TCP is only reachable through its Path, and supporting Path asks nothing of the user agent: the registrar and this
    /// proxy do all the work. So the proxy lists it on the user agent's behalf.
    /// </remarks>
    private static bool ListsPath(SipMessage request)
    {
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            var name = request[header.Name];
            if (header.Kind == HeaderKind.Other && (Ascii.EqualsIgnoreCase(name, "Supported"u8) || Ascii.EqualsIgnoreCase(name, "k"u8))
                && ListsTag(request[header.Value], "path"u8))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ListsTag(ReadOnlySpan<byte> tags, ReadOnlySpan<byte> tag)
    {
        foreach (var range in tags.Split((byte)','))
        {
            var (start, length) = SipSyntax.Trim(tags, range.Start.Value, range.End.Value - range.Start.Value);
            if (Ascii.EqualsIgnoreCase(tags.Slice(start, length), tag))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasOutboundContact(SipMessage request)
    {
        // Indexed, not foreach: an enumerator of the read-only list would be allocated for every dialog-creating request.
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (header.Kind == HeaderKind.Contact)
            {
                var value = request[header.Value];
                return NameAddress.TrySplit(value, out var uriRange, out _)
                    && SipUri.TryParse(value[uriRange], out var uri)
                    && uri.HasParameter(value[uriRange], "ob"u8);
            }
        }

        return false;
    }
}
