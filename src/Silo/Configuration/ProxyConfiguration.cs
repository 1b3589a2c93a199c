using System.Diagnostics.CodeAnalysis;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// The merged configuration of every source and what came of it: the settings when the
/// "Proxy" section is sound, otherwise every fault found.
/// </summary>
internal sealed class ProxyConfiguration
{
    private ProxyConfiguration(IConfigurationRoot configuration, ProxySettings? settings, IReadOnlyList<ConfigurationFault> faults)
    {
        Configuration = configuration;
        Settings = settings;
        Faults = faults;
    }

    /// <summary>All sources merged; the host reads its other sections (Serilog) from here.</summary>
    public IConfigurationRoot Configuration { get; }

    public ProxySettings? Settings { get; }

    public IReadOnlyList<ConfigurationFault> Faults { get; }

    /// <summary>Where it was read from, for a reload; null for a configuration built in memory.</summary>
    public ConfigurationSources? Sources { get; private init; }

    [MemberNotNullWhen(true, nameof(Settings))]
    public bool IsValid => Settings is not null;

    /// <param name="sourceFaults">Faults met while reading the sources themselves (e.g. a missing --config file).</param>
    public static ProxyConfiguration Create(IConfigurationRoot configuration, IEnumerable<ConfigurationFault> sourceFaults, ConfigurationSources? sources = null)
    {
        var faults = new ConfigurationFaults(sourceFaults);
        var options = SectionReader.Read(configuration, ProxyOptions.SectionName, faults, new ProxyOptions());
        var settings = ProxyOptionsValidator.Validate(options, faults);
        return new ProxyConfiguration(configuration, settings, faults) { Sources = sources };
    }
}
