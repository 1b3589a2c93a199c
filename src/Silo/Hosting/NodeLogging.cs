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
    // Named explicitly so that sinks resolve without scanning the dependency context.
    private static readonly ConfigurationReaderOptions ReaderOptions = new(
        typeof(ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(CompactJsonFormatter).Assembly);

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, LogFormat format) =>
        logger.ReadFrom.Configuration(format == LogFormat.Json ? WithJsonConsoles(configuration) : configuration, ReaderOptions);

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
