namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Cluster": the node's own localhost silo.</summary>
internal sealed class LocalSiloOptions
{
    /// <summary>Silo-to-silo port; two proxy instances on one machine need different ports.</summary>
    public int SiloPort { get; set; } = 11111;
}
