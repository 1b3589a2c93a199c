namespace OrleansProxy.Sip.Timing;

/// <summary>
/// The tick on a timer of an injected <see cref="TimeProvider"/>, so that a test's fake clock drives the wheel and
/// its entries fire exactly when the test moves time.
/// </summary>
internal sealed class ProviderWheelTick(TimeProvider time, Action tick) : IWheelTick
{
    private readonly ITimer timer = time.CreateTimer(static state => ((Action)state!)(), tick, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Schedule(TimeSpan dueIn) => timer.Change(dueIn, Timeout.InfiniteTimeSpan);

    public void Dispose() => timer.Dispose();
}
