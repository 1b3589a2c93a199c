namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Failover": what happens to requests while a pair switches (DESIGN.md).</summary>
internal sealed class FailoverOptions : ISectionOptions
{
    /// <summary>How long a member may stay silent (not even 100 Trying) before its probes are sped up to check it (stateful mode).</summary>
    /// <summary>A request held longer than a UDP transaction's Timer F (32 s) would be given up by its sender anyway.</summary>
    public const int MaxHoldMs = 32_000;

    /// <summary>Each held request keeps its message buffer and a slot of its listener.</summary>
    public const int MaxHeldRequests = 100_000;

    public int NoResponseMs { get; set; } = 500;

    /// <summary>How long a request waits for its pair to have a serving member; 0 answers 503 at once.</summary>
    public int HoldMs { get; set; } = (int)HoldSettings.Default.Time.TotalMilliseconds;

    /// <summary>How many requests may wait at once, over all pairs.</summary>
    public int HoldMaxRequests { get; set; } = HoldSettings.Default.MaxRequests;

    public void ReadFrom(SectionReader section)
    {
        NoResponseMs = section.Int(nameof(NoResponseMs), NoResponseMs);
        HoldMs = section.Int(nameof(HoldMs), HoldMs);
        HoldMaxRequests = section.Int(nameof(HoldMaxRequests), HoldMaxRequests);
    }


    /// <param name="t1Ms">"Proxy:Transactions:T1Ms" when it is usable, to check <see cref="NoResponseMs"/> against.</param>
    /// <param name="t1Key">Its full key.</param>
    public HoldSettings Validate(SectionFaults section, int? t1Ms, string t1Key)
    {
        var noResponseUsable = section.InRange(NoResponseMs, nameof(NoResponseMs), 1, TransactionOptions.MaxTimerMs);
        section.InRange(HoldMs, nameof(HoldMs), 0, MaxHoldMs);
        section.InRange(HoldMaxRequests, nameof(HoldMaxRequests), 1, MaxHeldRequests);

        // Timer B and Timer F end a transaction after 64 x T1 (RFC 3261 §17.1.1.2, §17.1.2.2).
        if (noResponseUsable && t1Ms is { } t1 && NoResponseMs >= 64 * t1)
        {
            section.Add(nameof(NoResponseMs), $"must be less than 64 x {t1Key} ({SectionFaults.Number(64 * t1)}), when the transaction times out anyway");
        }

        return new HoldSettings(TimeSpan.FromMilliseconds(HoldMs), HoldMaxRequests);
    }
}
