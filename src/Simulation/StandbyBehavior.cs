namespace OrleansProxy.Simulation;

/// <summary>What a hot standby does with requests until it has taken over: real HA servers do one or the other.</summary>
public enum StandbyBehavior : byte
{
    /// <summary>Ignores everything, OPTIONS included: to a prober it looks down.</summary>
    Silent = 0,

    /// <summary>Answers every request, OPTIONS included, 503 with Retry-After: alive, not serving.</summary>
    Refuse503,
}
