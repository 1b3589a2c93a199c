namespace OrleansProxy.Silo;

/// <summary>
/// Every event id this executable logs with, kept in one place so ids never collide.
/// Ranges: 1000-1099 hosting, 1100-1199 admin API, 1200-1299 diagnostics, 1300-1399 routing and the hold,
/// 1400-1499 configuration reload, 1500-1599 SIP capture.
/// </summary>
internal static class SiloEventIds
{
    public const int PairStarted = 1000;
    public const int HostFailed = 1001;
    public const int DrainStarted = 1010;
    public const int DrainFinished = 1011;
    public const int DrainTimedOut = 1012;
    public const int HotPathWarmedUp = 1020;
    public const int HotPathWarmUpIncomplete = 1021;
    public const int HotPathWarmUpFailed = 1022;

    public const int OperatorSwitchover = 1100;
    public const int SwitchoverRefused = 1101;

    public const int PairStatusPollFailed = 1200;
    public const int PairStatusPollRecovered = 1201;

    public const int DnsLookupTimedOut = 1300;
    public const int DnsLookupFailed = 1301;
    public const int NextHopTargetGreylisted = 1302;
    public const int NextHopNotLocated = 1303;
    public const int RequestRefused = 1304;
    public const int RoutingConfigured = 1305;
    public const int HoldReleased = 1306;
    public const int HoldExpired = 1307;
    public const int HoldFull = 1308;

    public const int ReloadApplied = 1400;
    public const int ReloadNeedsRestart = 1401;
    public const int ReloadFault = 1402;
    public const int ReloadRefused = 1403;
    public const int ReloadRollbackFailed = 1404;
    public const int ReloadFailed = 1405;
    public const int ReloadPairNotReconfigured = 1406;

    public const int CaptureCollectorUnresolved = 1500;
}
