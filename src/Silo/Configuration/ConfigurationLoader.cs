

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

    /// <param name="args">Command-line arguments after the verb.</param>
    /// <param name="baseDirectory">Where appsettings.json is looked for: the executable's directory in production.</param>
    public static ProxyConfiguration Load(IReadOnlyList<string> args, string baseDirectory)
    {
        var faults = new List<ConfigurationFault>();
        var builder = new ConfigurationBuilder();
        var appSettings = Path.Combine(baseDirectory, AppSettingsFileName);
        if (File.Exists(appSettings))
        {
            AddJsonFile(builder, appSettings, AppSettingsFileName, faults);
        }

        foreach (var file in ConfigFiles(args, faults))
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
        builder.AddCommandLine([.. args]);
        return ProxyConfiguration.Create(builder.Build(), faults, new ConfigurationSources([.. args], baseDirectory));
    }

    private static List<string> ConfigFiles(IReadOnlyList<string> args, List<ConfigurationFault> faults)
    {
        var files = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string? file;
            if (string.Equals(args[i], ConfigFileOption, StringComparison.OrdinalIgnoreCase))
            {
                file = i + 1 < args.Count ? args[++i] : null;
            }
            else if (args[i].StartsWith(ConfigFileOption + "=", StringComparison.OrdinalIgnoreCase))
            {
                file = args[i][(ConfigFileOption.Length + 1)..];
            }
            else
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(file))
            {
                faults.Add(new(ConfigFileOption, "a file name is required, e.g. --config /etc/orleans-proxy/proxy.json"));
            }
            else
            {
                files.Add(Path.GetFullPath(file));
            }
        }

        return files;
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
