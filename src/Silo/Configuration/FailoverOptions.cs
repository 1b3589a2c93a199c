namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Failover": transaction-level failover of the stateful proxy (DESIGN.md rule 3).</summary>
internal sealed class FailoverOptions
{
    /// <summary>How long the active member may stay silent (not even 100 Trying) before a transaction moves to the other member.</summary>
    public int NoResponseMs { get; set; } = 500;
}
