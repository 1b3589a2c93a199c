using OrleansProxy.Silo.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace OrleansProxy.Silo.Hosting;

/// <summary>The "run" verb: validate the configuration, then run the host until it is stopped.</summary>
internal static class ProxyRunner
{
    public const string ConfigErrorPrefix = "config error: ";

    public static async Task<int> RunAsync(
        ConfigurationSources sources,
        TextWriter error,
        Action<IServiceCollection>? configureServices)
    {
        var configuration = ConfigurationLoader.Load(sources);
        if (!configuration.IsValid)
        {
            foreach (var fault in configuration.Faults)
            {
                await error.WriteLineAsync(ConfigErrorPrefix + fault);
            }

            return ExitCodes.BadUsage;
        }

        // The configured logger exists only once the host is built; failures before or
        // during that still need to reach the operator.
        using var bootstrapLogger = new LoggerConfiguration()
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        using var bootstrapFactory = new SerilogLoggerFactory(bootstrapLogger);
        var logger = bootstrapFactory.CreateLogger(typeof(ProxyRunner).FullName!);
        try
        {
            await using var app = ProxyHost.Build(configuration, configureServices);
            await app.RunAsync();
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            logger.HostFailed(e);
            return ExitCodes.Failed;
        }
    }
}
