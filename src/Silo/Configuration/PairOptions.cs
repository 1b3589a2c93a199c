namespace OrleansProxy.Silo.Configuration;

/// <summary>One entry of "Proxy:Pairs". Members are "host:port"; the port defaults to 5060.</summary>
internal sealed class PairOptions
{
    public string? Name { get; set; }

    public string? Primary { get; set; }

    public string? Backup { get; set; }
}
