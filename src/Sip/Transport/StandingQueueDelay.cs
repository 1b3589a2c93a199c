namespace OrleansProxy.Sip.Transport;

/// <summary>
/// The wait one receive loop's queue kept for a whole interval: the least wait of any datagram read in the last
/// 100 ms (the idea of CoDel). A burst, or a loop paused for a moment (a collection, a container's CPU quota), leaves
/// a few datagrams waiting long but the queue drains within the interval, so the least wait is short; only a queue
/// that stands, a node behind on its work, keeps it long. One per receive loop; not thread-safe.
/// </summary>
internal sealed class StandingQueueDelay
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private long intervalStart;
    private long least = long.MaxValue;

    /// <summary>The least wait of the last interval that ended.</summary>
    public TimeSpan Standing { get; private set; }

    /// <summary>Takes the wait of a datagram read at <paramref name="now"/> (ticks of the real-time clock).</summary>
    /// <returns>True when it ended an interval: <see cref="Standing"/> has changed.</returns>
    public bool Add(TimeSpan wait, long now)
    {
        var ticks = Math.Max(0, wait.Ticks);
        if (now - intervalStart < Interval.Ticks)
        {
            least = Math.Min(least, ticks);
            return false;
        }

        // After a quiet spell the interval's least wait is stale: the datagram that ends it tells what the queue is now.
        Standing = new TimeSpan(Math.Min(least, ticks));
        least = ticks;
        intervalStart = now;
        return true;
    }
}
