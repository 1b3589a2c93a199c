

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Merges the configuration sources, each overriding the ones before it: appsettings.json
/// next to the executable, the files named by --config, environment variables
/// (Proxy__Pairs__0__Primary), command-line overrides (--Proxy:Pairs:0:Primary=...).
/// </summary>
internal static class ConfigurationLoader
{
    public const string AppSettingsFileName = "appsettings.json";
    public const string ConfigFileOption = "--config";

    public static ProxyConfiguration Load(ConfigurationSources sources)
    {
        var faults = new List<ConfigurationFault>();
        var builder = new ConfigurationBuilder();
        var appSettings = Path.Combine(sources.BaseDirectory, AppSettingsFileName);
        if (File.Exists(appSettings))
        {
            AddJsonFile(builder, appSettings, AppSettingsFileName, faults);
        }

        foreach (var file in sources.Files)
        {
            if (File.Exists(file))
            {
                AddJsonFile(builder, file, ConfigFileOption, faults);
            }
            else
            {
                faults.Add(new(ConfigFileOption, $"file '{file}' does not exist"));
            }
        }

        builder.AddEnvironmentVariables();
        builder.AddCommandLine([.. sources.Overrides]);
        return ProxyConfiguration.Create(builder.Build(), faults, sources);
    }

    // Each file is parsed on its own first so that a syntax error is reported against
    // that file, and the remaining sources are still checked.
    private static void AddJsonFile(IConfigurationBuilder builder, string path, string key, List<ConfigurationFault> faults)
    {
        try
        {
            var file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();

            // Copied as values rather than chained: a chained configuration hides empty strings, and for
            // Proxy:ServerHeader "" means "no header". Sections (no value) are left to their keys.
            builder.AddInMemoryCollection(file.AsEnumerable().Where(entry => entry.Value is not null));
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            faults.Add(new(key, $"cannot read '{path}': {e.GetBaseException().Message}"));
        }
    }
}
