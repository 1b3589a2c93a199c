using System.Diagnostics.Metrics;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// Reads the proxy's own instruments that tell how it bridged a takeover (requests held, released and expired, the
/// longest wait, transactions moved off the dead member), by name from its meters as any exporter would, so the
/// demo needs no hook into the core.
/// </summary>
internal sealed class ProxyHoldCounters : IDisposable
{
    private const string HeldName = "orleansproxy.pair.requests.held";
    private const string ReleasedName = "orleansproxy.pair.requests.released";
    private const string ExpiredName = "orleansproxy.pair.requests.expired";
    private const string HoldDurationName = "orleansproxy.pair.requests.hold.duration";
    private const string MovedName = "orleansproxy.sip.transactions.failovers";

    private readonly MeterListener listener = new();
    private long held;
    private long released;
    private long expired;
    private long moved;
    private long longestWaitTicks;

    public ProxyHoldCounters()
    {
        listener.InstrumentPublished = (instrument, subscriber) =>
        {
            if (instrument.Name is HeldName or ReleasedName or ExpiredName or HoldDurationName or MovedName)
            {
                subscriber.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Count(instrument.Name, value));
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => Longest(TimeSpan.FromSeconds(seconds).Ticks));
        listener.Start();
    }

    public long Held => Interlocked.Read(ref held);

    public long Released => Interlocked.Read(ref released);

    public long Expired => Interlocked.Read(ref expired);

    /// <summary>Transactions moved to another member because theirs was found down or switched away from.</summary>
    public long Moved => Interlocked.Read(ref moved);

    public TimeSpan LongestWait => TimeSpan.FromTicks(Interlocked.Read(ref longestWaitTicks));

    public void Dispose() => listener.Dispose();

    private void Count(string instrument, long value)
    {
        switch (instrument)
        {
            case HeldName:
                Interlocked.Add(ref held, value);
                break;
            case ReleasedName:
                Interlocked.Add(ref released, value);
                break;
            case ExpiredName:
                Interlocked.Add(ref expired, value);
                break;
            case MovedName:
                Interlocked.Add(ref moved, value);
                break;
        }
    }

    private void Longest(long ticks)
    {
        var seen = Interlocked.Read(ref longestWaitTicks);
        while (ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref longestWaitTicks, ticks, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
