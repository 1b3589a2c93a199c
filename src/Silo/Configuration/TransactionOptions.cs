using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Transactions": the stateful proxy's transaction table and RFC 3261 timers.</summary>
internal sealed class TransactionOptions : ISectionOptions
{
    /// <summary>The most server transactions held at once; past it requests get 503 with Retry-After.</summary>
    public const int MaxTransactions = 10_000_000;

    /// <summary>Below this, lingering transactions would be evicted within moments at any real load.</summary>
    public const int MinLingerBytes = 1 << 20;

    /// <summary>The longest any timer key may be: an hour.</summary>
    public const int MaxTimerMs = 3_600_000;

    /// <summary>The Timer C floor of RFC 3261 §16.6 step 11: greater than 3 minutes.</summary>
    public const int MinTimerCMs = 180_001;

    public int MaxCount { get; set; } = 100_000;

    /// <summary>The most bytes finished transactions keep while they linger; past it the ones nearest their end go early.</summary>
    public int MaxLingerBytes { get; set; } = TransactionTable.DefaultMaxLingerBytes;

    public int T1Ms { get; set; } = 500;

    public int T2Ms { get; set; } = 4000;

    public int T4Ms { get; set; } = 5000;

    /// <summary>Proxy INVITE timer: longest wait for a final response after a provisional one.</summary>
    public int TimerCMs { get; set; } = 181_000;

    public void ReadFrom(SectionReader section)
    {
        MaxCount = section.Int(nameof(MaxCount), MaxCount);
        MaxLingerBytes = section.Int(nameof(MaxLingerBytes), MaxLingerBytes);
        T1Ms = section.Int(nameof(T1Ms), T1Ms);
        T2Ms = section.Int(nameof(T2Ms), T2Ms);
        T4Ms = section.Int(nameof(T4Ms), T4Ms);
        TimerCMs = section.Int(nameof(TimerCMs), TimerCMs);
    }


    /// <param name="t1Usable">Whether <see cref="T1Ms"/> may be checked against other keys: in range and not at fault.</param>
    public TransactionTimers Validate(SectionFaults section, out bool t1Usable)
    {
        section.InRange(MaxCount, nameof(MaxCount), 1, MaxTransactions);
        section.InRange(MaxLingerBytes, nameof(MaxLingerBytes), MinLingerBytes, int.MaxValue);
        t1Usable = section.InRange(T1Ms, nameof(T1Ms), 1, MaxTimerMs);
        var t2Usable = section.InRange(T2Ms, nameof(T2Ms), 1, MaxTimerMs);
        section.InRange(T4Ms, nameof(T4Ms), 1, MaxTimerMs);
        section.InRange(TimerCMs, nameof(TimerCMs), MinTimerCMs, MaxTimerMs);
        if (t1Usable && t2Usable && T2Ms < T1Ms)
        {
            section.Add(nameof(T2Ms), $"must not be less than {section.Key(nameof(T1Ms))} ({SectionFaults.Number(T2Ms)} < {SectionFaults.Number(T1Ms)})");
        }

        return new TransactionTimers
        {
            T1 = TimeSpan.FromMilliseconds(T1Ms),
            T2 = TimeSpan.FromMilliseconds(T2Ms),
            T4 = TimeSpan.FromMilliseconds(T4Ms),
            TimerC = TimeSpan.FromMilliseconds(TimerCMs),
        };
    }
}
