namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Mode".</summary>
internal enum ProxyMode
{
    /// <summary>RFC 3261 transactions with transaction-level failover.</summary>
    Stateful = 0,

    /// <summary>RFC 3261 §16.11: forward and forget.</summary>
    Stateless,
}
