namespace OrleansProxy.Grains.Pairs;

/// <summary>One configured pair and how it is probed.</summary>
public sealed record HaPairSettings(
    string Name,
    string Primary,
    string Backup,
    ProbeSettings Probe);
