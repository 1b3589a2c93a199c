using System.Net;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Silo.FrontEnd;

internal static partial class RoutingLog
{
    // Debug: a scanner or a misconfigured phone can send these at line rate; the reply already says why.
    [LoggerMessage(EventId = SiloEventIds.RequestRefused, Level = LogLevel.Debug,
        Message = "Refused {Method} from {Source}: {StatusCode} {Reason}")]
    public static partial void RequestRefused(this ILogger logger, SipMethod method, IPEndPoint source, int statusCode, string reason);

    [LoggerMessage(EventId = SiloEventIds.RoutingConfigured, Level = LogLevel.Information,
        Message = "Routing: site {Site}, default pair {DefaultPair}, {Rules} rule(s), {TrustedNetworks} trusted network(s), {StaticRoutes} static route(s), next-hop header {NextHopHeader}")]
    public static partial void RoutingConfigured(this ILogger logger, string site, string defaultPair, int rules, int trustedNetworks, int staticRoutes, string nextHopHeader);
}
