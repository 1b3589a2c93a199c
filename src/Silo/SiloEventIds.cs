namespace OrleansProxy.Silo;

/// <summary>
/// Every event id this executable logs with, kept in one place so ids never collide.
/// Ranges: 1000-1099 hosting, 1100-1199 admin API.
/// </summary>
internal static class SiloEventIds
{
    public const int PairStarted = 1000;
    public const int HostFailed = 1001;

    public const int OperatorSwitchover = 1100;
    public const int SwitchoverRefused = 1101;
}
