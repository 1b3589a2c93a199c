namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Probe": how every pair member is probed with OPTIONS.</summary>
internal sealed class ProbeOptions
{
    /// <summary>Pause between probe rounds while the active member is up.</summary>
    public int IntervalMs { get; set; } = 500;

    /// <summary>How long one probe waits; less than <see cref="IntervalMs"/>.</summary>
    public int TimeoutMs { get; set; } = 400;

    /// <summary>Consecutive misses before a member counts as down.</summary>
    public int FailuresToDown { get; set; } = 2;

    /// <summary>Pause between rounds while the active member is down, so a silent standby is found quickly.</summary>
    public int FastIntervalMs { get; set; } = 100;
}
