namespace OrleansProxy.Silo.Reload;

internal enum ReloadOutcome
{
    /// <summary>The new configuration is in force (keys that need a restart aside).</summary>
    Applied,

    /// <summary>The new configuration has faults; the running one stays.</summary>
    Refused,
}
