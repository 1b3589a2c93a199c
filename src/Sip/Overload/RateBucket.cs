namespace OrleansProxy.Sip.Overload;

/// <summary>
/// A token bucket kept as one timestamp (the generic cell rate algorithm): the time at which the bucket would be full
/// again. Taking a token moves it on by one interval; a take that would move it more than the burst ahead of now is
/// refused. The refill is computed from the clock on each take, so the bucket needs no timer.
/// </summary>
internal readonly struct RateBucket
{
    private readonly long interval;
    private readonly long tolerance;

    /// <param name="perSecond">Tokens per second, at least 1; the bucket holds one second's worth.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps given to <see cref="TryTake"/>.</param>
    public RateBucket(int perSecond, long timestampFrequency)
    {
        interval = Math.Max(1, timestampFrequency / perSecond);
        tolerance = interval * (perSecond - 1);
    }

    /// <summary>Takes a token from the bucket whose state is <paramref name="fullAt"/>, unless it is empty.</summary>
    public bool TryTake(ref long fullAt, long now)
    {
        var from = Math.Max(fullAt, now);
        if (from - now > tolerance)
        {
            return false;
        }

        fullAt = from + interval;
        return true;
    }

    /// <summary>As <see cref="TryTake"/>, for a bucket shared by every receive loop without a lock.</summary>
    public bool TryTakeShared(ref long fullAt, long now)
    {
        while (true)
        {
            var seen = Volatile.Read(ref fullAt);
            var from = Math.Max(seen, now);
            if (from - now > tolerance)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref fullAt, from + interval, seen) == seen)
            {
                return true;
            }
        }
    }
}
