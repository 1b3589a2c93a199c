using OrleansProxy.Silo.Configuration;
using Serilog;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Serilog from the "Serilog" configuration section. With <see cref="LogFormat.Json"/> every console sink
/// there writes compact JSON (one event a line, properties such as Pair and Member as fields) instead of text,
/// so that switching a node to a log shipper is one key, not a rewritten Serilog section.
/// </summary>
internal static class NodeLogging
{
    public const string LogFormatOption = "--log-format";

    // Named explicitly so that sinks resolve without scanning the dependency context.
    private static readonly ConfigurationReaderOptions ReaderOptions = new(
        typeof(ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(CompactJsonFormatter).Assembly);

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, LogFormat format) =>
        logger.ReadFrom.Configuration(format == LogFormat.Json ? WithJsonConsoles(configuration) : configuration, ReaderOptions);

    /// <summary>Turns "--log-format json" into the configuration key it stands for, leaving every other argument as it is.</summary>
    public static string[] TranslateOptions(IReadOnlyList<string> args)
    {
        var translated = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            if (string.Equals(args[i], LogFormatOption, StringComparison.OrdinalIgnoreCase) && i + 1 < args.Count)
            {
                translated.Add($"--Proxy:Admin:LogFormat={args[++i]}");
            }
            else if (args[i].StartsWith(LogFormatOption + "=", StringComparison.OrdinalIgnoreCase))
            {
                translated.Add($"--Proxy:Admin:LogFormat={args[i][(LogFormatOption.Length + 1)..]}");
            }
            else
            {
                translated.Add(args[i]);
            }
        }

        return [.. translated];
    }

    private static IConfiguration WithJsonConsoles(IConfiguration configuration)
    {
        var formatter = typeof(CompactJsonFormatter).AssemblyQualifiedName;
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            if (string.Equals(sink["Name"], "Console", StringComparison.OrdinalIgnoreCase))
            {
                overrides[$"{sink.Path}:Args:formatter"] = formatter;
            }
        }

        return new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
    }
}
