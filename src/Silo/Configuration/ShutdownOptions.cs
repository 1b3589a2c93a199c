namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Shutdown": what happens between SIGTERM and the process exit.</summary>
internal sealed class ShutdownOptions : ISectionOptions
{
    /// <summary>How long transactions in flight may take to finish once new ones are refused.</summary>
    public const int MaxDrainMs = 300_000;

    public int DrainMs { get; set; } = 5000;

    public void ReadFrom(SectionReader section)
    {
        DrainMs = section.Int(nameof(DrainMs), DrainMs);
    }


    public TimeSpan Validate(SectionFaults section)
    {
        section.InRange(DrainMs, nameof(DrainMs), 0, MaxDrainMs);
        return TimeSpan.FromMilliseconds(DrainMs);
    }
}
