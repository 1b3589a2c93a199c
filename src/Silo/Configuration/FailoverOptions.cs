namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Failover": what happens to requests while a pair switches (DESIGN.md).</summary>
internal sealed class FailoverOptions
{
    /// <summary>How long a member may stay silent (not even 100 Trying) before its probes are sped up to check it (stateful mode).</summary>
    public int NoResponseMs { get; set; } = 500;

    /// <summary>How long a request waits for its pair to have a serving member; 0 answers 503 at once.</summary>
    public int HoldMs { get; set; } = (int)HoldSettings.Default.Time.TotalMilliseconds;

    /// <summary>How many requests may wait at once, over all pairs.</summary>
    public int HoldMaxRequests { get; set; } = HoldSettings.Default.MaxRequests;
}
