namespace OrleansProxy.Sip.Timing;

/// <summary>
/// What a <see cref="TimerWheel"/> calls when an entry falls due. The owner (a transaction) is the callback itself, so
/// that arming a timer allocates nothing; <c>timer</c> tells its timers apart.
/// </summary>
public interface IWheelTimerOwner
{
    /// <summary>Runs on the wheel's tick, one entry after another: do no blocking work here.</summary>
    void OnTimer(int timer);
}
