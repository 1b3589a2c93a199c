namespace OrleansProxy.Grains.Pairs;

/// <param name="Interval">Pause between probes while the active member serves.</param>
/// <param name="Timeout">How long one probe waits for an answer.</param>
/// <param name="FailuresToDown">Consecutive misses before a member is down.</param>
/// <param name="FastInterval">Pause between probes while no member serves, the active one does not, or a hint's burst runs.</param>
/// <param name="KeepAlivePeriod">Reminder period that re-activates the grain and re-arms probing.</param>
/// <param name="Serving">Which probe answers mean serving; null is 2xx.</param>
public sealed record ProbeSettings(
    TimeSpan Interval,
    TimeSpan Timeout,
    int FailuresToDown,
    TimeSpan FastInterval,
    TimeSpan KeepAlivePeriod,
    ServingCodes? Serving = null)
{
    public ServingCodes ServingCodes => Serving ?? ServingCodes.Default;

    /// <summary>
    /// How long a hint's burst of fast probes lasts: long enough for FailuresToDown fast probes to be sent and the
    /// last to time out, so the burst ends with a decision, and no longer, so a steady stream of hints costs a
    /// bounded probe rate.
    /// </summary>
    public TimeSpan BurstDuration => (FastInterval * FailuresToDown) + Timeout;
}
