namespace OrleansProxy.Routing;

/// <summary>
/// The event ids src/Routing logs with: 4000-4999, beside 1000-1999 src/Sip, 2000-2999 src/Grains, 3000-3999 the host
/// and 5000-5999 src/Simulation. 4000-4099 RFC 3263 location.
/// </summary>
internal static class RoutingEventIds
{
    public const int DnsLookupTimedOut = 4000;
    public const int DnsLookupFailed = 4001;
    public const int NextHopTargetGreylisted = 4002;
    public const int NextHopNotLocated = 4003;
}
