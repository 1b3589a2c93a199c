namespace OrleansProxy.Silo.Configuration;

/// <summary>What the node loads its configuration from, kept so that a reload reads the same sources again.</summary>
/// <param name="Files">The JSON files named by --config, in the order given; each overrides the ones before it.</param>
/// <param name="Overrides">Command-line overrides as typed ("--Proxy:Mode=stateless", "--Proxy:Mode stateless"), applied last.</param>
/// <param name="BaseDirectory">Where appsettings.json is looked for.</param>
internal sealed record ConfigurationSources(IReadOnlyList<string> Files, IReadOnlyList<string> Overrides, string BaseDirectory)
{
    /// <summary>Overrides alone on top of the appsettings.json beside the executable.</summary>
    public static ConfigurationSources FromOverrides(IReadOnlyList<string> overrides) => new([], overrides, AppContext.BaseDirectory);
}
