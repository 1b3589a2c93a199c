namespace OrleansProxy.Sip.Timing;

/// <summary>What calls a <see cref="TimerWheel"/>'s tick: once, after the time last scheduled.</summary>
internal interface IWheelTick : IDisposable
{
    /// <summary>Replaces whatever was scheduled: the tick runs once, <paramref name="dueIn"/> from now.</summary>
    void Schedule(TimeSpan dueIn);
}
