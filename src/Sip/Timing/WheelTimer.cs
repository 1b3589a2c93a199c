namespace OrleansProxy.Sip.Timing;

/// <summary>
/// An armed entry on a <see cref="TimerWheel"/>, as its owner keeps it: the slot of the wheel's entry table and the
/// generation it was armed in, so that a handle kept after its entry fired or was cancelled cancels nothing else.
/// The default value is no entry.
/// </summary>
public readonly record struct WheelTimer(int Index, int Generation)
{
    public bool IsArmed => Generation != 0;
}
