namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Probe": how every pair member is probed with OPTIONS.</summary>
internal sealed class ProbeOptions : ISectionOptions
{
    /// <summary>Pause between probe rounds while the active member is up.</summary>
    public int IntervalMs { get; set; } = 500;

    /// <summary>How long one probe waits; less than <see cref="IntervalMs"/>.</summary>
    public int TimeoutMs { get; set; } = 400;

    /// <summary>Consecutive misses before a member counts as down.</summary>
    public int FailuresToDown { get; set; } = 2;

    /// <summary>Pause between probes while the pair has no serving member or a hint's burst runs, so a new active member is used at once.</summary>
    public int FastIntervalMs { get; set; } = 25;

    /// <summary>
    /// Probe answers that mean serving: classes ("2xx") or codes ("200"). Any other answer means alive, not serving.
    /// Null keeps the default, 2xx.
    /// </summary>
    public IList<string>? ServingCodes { get; set; }

    public void ReadFrom(SectionReader section)
    {
        IntervalMs = section.Int(nameof(IntervalMs), IntervalMs);
        TimeoutMs = section.Int(nameof(TimeoutMs), TimeoutMs);
        FailuresToDown = section.Int(nameof(FailuresToDown), FailuresToDown);
        FastIntervalMs = section.Int(nameof(FastIntervalMs), FastIntervalMs);
        ServingCodes = section.Has(nameof(ServingCodes)) ? section.Texts(nameof(ServingCodes)) : ServingCodes;
    }
}
