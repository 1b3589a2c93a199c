
namespace OrleansProxy.Silo;

/// <summary>
/// Every event id this executable logs with, kept in one place so ids never collide. Each assembly has its own
/// thousand: 1000-1999 src/Sip (SipLogEvents), 2000-2999 src/Grains, 3000-3999 this host, 4000-4999 src/Routing
/// (RoutingEventIds), 5000-5999 src/Simulation.
/// Ranges here: 3000-3099 hosting, 3100-3199 admin API, 3200-3299 diagnostics, 3300-3399 routing and the hold,
/// 3400-3499 configuration reload, 3500-3599 SIP capture.
/// </summary>
internal static class SiloEventIds
{
    public const int PairStarted = 3000;
    public const int HostFailed = 3001;
    public const int DrainStarted = 3010;
    public const int DrainFinished = 3011;
    public const int DrainTimedOut = 3012;
    public const int HotPathWarmedUp = 3020;
    public const int HotPathWarmUpIncomplete = 3021;
    public const int HotPathWarmUpFailed = 3022;

    public const int OperatorSwitchover = 3100;
    public const int SwitchoverRefused = 3101;

    public const int PairStatusPollFailed = 3200;
    public const int PairStatusPollRecovered = 3201;

    public const int RequestRefused = 3304;
    public const int RoutingConfigured = 3305;
    public const int HoldReleased = 3306;
    public const int HoldExpired = 3307;
    public const int HoldFull = 3308;

    public const int ReloadApplied = 3400;
    public const int ReloadNeedsRestart = 3401;
    public const int ReloadFault = 3402;
    public const int ReloadRefused = 3403;
    public const int ReloadRollbackFailed = 3404;
    public const int ReloadFailed = 3405;
    public const int ReloadPairNotReconfigured = 3406;

    public const int CaptureCollectorUnresolved = 3500;
}
