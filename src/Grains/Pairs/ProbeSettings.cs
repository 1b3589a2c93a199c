namespace OrleansProxy.Grains.Pairs;

/// <param name="Interval">Pause between probe rounds while the active member is up.</param>
/// <param name="Timeout">How long one probe waits for an answer.</param>
/// <param name="FailuresToDown">Consecutive misses before a member is down.</param>
/// <param name="FastInterval">Pause between rounds while the active member is down or the pair is unavailable.</param>
/// <param name="KeepAlivePeriod">Reminder period that re-activates the grain and re-arms probing.</param>
public sealed record ProbeSettings(
    TimeSpan Interval,
    TimeSpan Timeout,
    int FailuresToDown,
    TimeSpan FastInterval,
    TimeSpan KeepAlivePeriod);
