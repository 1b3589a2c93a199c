using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansProxy.Sip.Overload;

/// <summary>
/// A token bucket per source address, in a table of bounded size. A source known to the table costs a lookup under a
/// short lock and no allocation. When the table is full, sources idle long enough for their bucket to be full again
/// are forgotten (nothing is lost: a full bucket is what a new source gets); while every entry is busy a new source is
/// not followed, so a flood of spoofed addresses cannot grow the table.
/// </summary>
internal sealed class SourceRateLimit
{
    private readonly Lock gate = new();
    private readonly Dictionary<SourceAddress, Entry> entries = [];
    private readonly RateBucket bucket;
    private readonly long blockTicks;
    private readonly long sweepTicks;
    private readonly int capacity;
    private long nextSweep;

    public SourceRateLimit(int perSecond, TimeSpan blockTime, int capacity, long timestampFrequency)
    {
        bucket = new RateBucket(perSecond, timestampFrequency);
        blockTicks = (long)(blockTime.TotalSeconds * timestampFrequency);
        sweepTicks = timestampFrequency;
        this.capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public SourceVerdict Check(IPAddress address, long now)
    {
        var key = SourceAddress.Of(address);
        lock (gate)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(entries, key);
            if (Unsafe.IsNullRef(ref entry))
            {
                if (entries.Count >= capacity && !SweepIdle(now))
                {
                    return SourceVerdict.Admitted;
                }

                entry = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, key, out _);
            }

            if (entry.BlockedUntil > now)
            {
                return SourceVerdict.Blocked;
            }

            if (entry.ExemptUntil > now || bucket.TryTake(ref entry.FullAt, now))
            {
                return SourceVerdict.Admitted;
            }

            return SourceVerdict.OverRate;
        }
    }

    /// <summary>The source went over its rate and is not exempt: its messages are dropped for the block time.</summary>
    public void Block(IPAddress address, long now) => Set(address, now, blocked: true);

    /// <summary>
    /// The source went over its rate but is exempt: it is not counted for the block time, after which its exemption is
    /// asked again (a reload may have taken it out of the trusted networks).
    /// </summary>
    public void Exempt(IPAddress address, long now) => Set(address, now, blocked: false);

    private void Set(IPAddress address, long now, bool blocked)
    {
        var key = SourceAddress.Of(address);
        lock (gate)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(entries, key);
            if (Unsafe.IsNullRef(ref entry))
            {
                return;
            }

            if (blocked)
            {
                entry.BlockedUntil = now + blockTicks;

                // When the block ends the source starts again with a full bucket.
                entry.FullAt = entry.BlockedUntil;
            }
            else
            {
                entry.ExemptUntil = now + blockTicks;
            }
        }
    }

    // At most once a second, so a table full of busy sources is not scanned on every new one.
    private bool SweepIdle(long now)
    {
        if (now < nextSweep)
        {
            return false;
        }

        nextSweep = now + sweepTicks;
        foreach (var (key, entry) in entries)
        {
            if (entry.BlockedUntil <= now && entry.ExemptUntil <= now && entry.FullAt <= now)
            {
                entries.Remove(key);
            }
        }

        return entries.Count < capacity;
    }

    private struct Entry
    {
        public long FullAt;
        public long BlockedUntil;
        public long ExemptUntil;
    }
}
