

namespace OrleansProxy.Silo.Configuration;

/// <summary>What the node loaded its configuration from, so that a reload reads the same sources again.</summary>
/// <param name="Arguments">The command-line arguments after the verb, as given to <see cref="ConfigurationLoader"/>.</param>
/// <param name="BaseDirectory">Where appsettings.json is looked for.</param>
internal sealed record ConfigurationSources(IReadOnlyList<string> Arguments, string BaseDirectory);
