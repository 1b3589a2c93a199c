using System.Net;

namespace OrleansProxy.Sip.Diagnostics;

/// <summary>
/// Decides which log lines about bad input get written: one per source address and fault per window, and no more
/// than a fixed number per second over all sources, so a flood of junk cannot fill the disk or the log pipeline.
/// Held-back lines are counted per source and fault, and the count goes out with the next line that is written.
/// The metrics still count every message; only the log is thinned.
/// </summary>
public sealed class BadInputLogLimiter
{
    private readonly Lock gate = new();
    private readonly Dictionary<(IPAddress Source, int EventId, int Fault), Entry> entries = [];
    private readonly TimeProvider time;
    private readonly long window;
    private readonly long second;
    private readonly int maxSources;
    private readonly int maxLinesPerSecond;
    private long secondStarted;
    private int linesThisSecond;
    private long lastSweep;

    /// <param name="window">How long one source and fault stays quiet after a line about it.</param>
    /// <param name="maxLinesPerSecond">Lines per second over all sources and faults.</param>
    /// <param name="maxSources">Source and fault pairs remembered at once; past it, new ones share one entry per fault.</param>
    public BadInputLogLimiter(TimeSpan window, int maxLinesPerSecond, int maxSources, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLinesPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSources, 1);
        this.time = time ?? TimeProvider.System;
        this.window = (long)(window.TotalSeconds * this.time.TimestampFrequency);
        second = this.time.TimestampFrequency;
        this.maxSources = maxSources;
        this.maxLinesPerSecond = maxLinesPerSecond;
        secondStarted = this.time.GetTimestamp();
        lastSweep = secondStarted;
    }

    /// <summary>Ten seconds per source and fault, twenty lines a second, 4096 sources: well under a megabyte of log a minute.</summary>
    public static BadInputLogLimiter Default(TimeProvider? time = null) => new(TimeSpan.FromSeconds(10), 20, 4096, time);

    /// <summary>The address that stands for every source once <c>maxSources</c> are remembered.</summary>
    public static IPAddress ManySources { get; } = IPAddress.None;

    /// <summary>Whether to write the line <paramref name="eventId"/> about <paramref name="fault"/> from <paramref name="source"/> now.</summary>
    /// <param name="fault">What is wrong, within the event (a parse error, or 0 when the event says it all).</param>
    /// <param name="suppressed">When true: the lines about this source and fault held back since the last one written.</param>
    public bool ShouldLog(IPAddress source, int eventId, int fault, out long suppressed)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            var entry = Find((source, eventId, fault), now);
            if (now - entry.LastWritten < window || !TakeLineOfThisSecond(now))
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastWritten = now;
            return true;
        }
    }

    private Entry Find((IPAddress Source, int EventId, int Fault) key, long now)
    {
        if (entries.TryGetValue(key, out var entry))
        {
            return entry;
        }

        if (entries.Count >= maxSources && !SweepQuietEntries(now))
        {
            key = (ManySources, key.EventId, key.Fault);
            if (entries.TryGetValue(key, out entry))
            {
                return entry;
            }
        }

        entry = new Entry { LastWritten = now - window };
        entries[key] = entry;
        return entry;
    }

    // A quiet entry with nothing held back has nothing left to report. Sweeping at most once a window keeps a
    // table full of active flooders from being scanned on every message.
    private bool SweepQuietEntries(long now)
    {
        if (now - lastSweep < window)
        {
            return false;
        }

        lastSweep = now;
        foreach (var (key, entry) in entries)
        {
            if (entry.Suppressed == 0 && now - entry.LastWritten >= window)
            {
                entries.Remove(key);
            }
        }

        return entries.Count < maxSources;
    }

    private bool TakeLineOfThisSecond(long now)
    {
        if (now - secondStarted >= second)
        {
            secondStarted = now;
            linesThisSecond = 0;
        }

        if (linesThisSecond >= maxLinesPerSecond)
        {
            return false;
        }

        linesThisSecond++;
        return true;
    }

    private sealed class Entry
    {
        public long LastWritten { get; set; }

        public long Suppressed { get; set; }
    }
}
