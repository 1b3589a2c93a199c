namespace OrleansProxy.Silo.Configuration;

/// <summary>One bad configuration value, named by its full key (e.g. "Proxy:Pairs:0:Primary").</summary>
internal sealed record ConfigurationFault(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}
