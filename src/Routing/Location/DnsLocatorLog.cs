using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Routing.Location;

internal static partial class DnsLocatorLog
{
    [LoggerMessage(EventId = RoutingEventIds.DnsLookupTimedOut, Level = LogLevel.Warning,
        Message = "DNS {QueryType} lookup of {Name} timed out; the failure is remembered for {NegativeCacheTtl}")]
    public static partial void DnsLookupTimedOut(this ILogger logger, string queryType, string name, TimeSpan negativeCacheTtl);

    [LoggerMessage(EventId = RoutingEventIds.DnsLookupFailed, Level = LogLevel.Warning,
        Message = "DNS {QueryType} lookup of {Name} failed: {Reason}; the failure is remembered for {NegativeCacheTtl}")]
    public static partial void DnsLookupFailed(this ILogger logger, string queryType, string name, string reason, TimeSpan negativeCacheTtl);

    [LoggerMessage(EventId = RoutingEventIds.NextHopTargetGreylisted, Level = LogLevel.Information,
        Message = "Next-hop target {EndPoint} greylisted for {Period} after a failed transaction")]
    public static partial void TargetGreylisted(this ILogger logger, IPEndPoint endPoint, TimeSpan period);

    [LoggerMessage(EventId = RoutingEventIds.NextHopNotLocated, Level = LogLevel.Debug,
        Message = "Next hop {NextHop} located no usable target ({GreylistedSkipped} greylisted target(s) skipped)")]
    public static partial void NextHopNotLocated(this ILogger logger, NextHop nextHop, int greylistedSkipped);
}
