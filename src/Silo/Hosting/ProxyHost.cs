using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;
using OrleansProxy.Silo.Admin;
using OrleansProxy.Silo.Configuration;
using Serilog;
using Serilog.Settings.Configuration;

namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Builds the proxy node: Serilog from configuration, the localhost silo with the pair
/// grains, and Kestrel serving the admin API on Proxy:Admin:Url only.
/// </summary>
internal static class ProxyHost
{
    // Named explicitly so that sinks resolve without scanning the dependency context.
    private static readonly ConfigurationReaderOptions SerilogReaderOptions =
        new(typeof(ConsoleLoggerConfigurationExtensions).Assembly);

    /// <param name="configuration">A valid configuration, from <see cref="ConfigurationLoader"/>.</param>
    /// <param name="configureServices">
    /// Runs after the host's own registrations, so it may add services (the SIP front-end,
    /// the <see cref="IMemberProber"/>) or replace them (tests).
    /// </param>
    /// <exception cref="InvalidOperationException">No <see cref="IMemberProber"/> is registered.</exception>
    public static WebApplication Build(ProxyConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        if (!configuration.IsValid)
        {
            throw new ArgumentException("The configuration has faults; report them instead of building a host.", nameof(configuration));
        }

        var settings = configuration.Settings;

        // The empty builder reads no configuration of its own: ConfigurationLoader already
        // merged the sources in the documented order, and the default builder's order has
        // no place for --config.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration.Configuration);
        builder.Services.AddSerilog(
            (_, logger) => logger.ReadFrom.Configuration(configuration.Configuration, SerilogReaderOptions),
            preserveStaticLogger: true);

        builder.WebHost.UseKestrelCore().UseUrls(settings.AdminUrl.ToString());
        builder.Services.AddRoutingCore();

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<IHaPairCatalog, ConfiguredPairCatalog>();
        builder.UseOrleans(silo =>
        {
            // gatewayPort 0: no gateway, nothing outside this process calls the grains.
            silo.UseLocalhostClustering(settings.SiloPort, gatewayPort: 0);
            AddPairGrainServices(silo);
        });
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PairStarter>();

        configureServices?.Invoke(builder.Services);
        if (!builder.Services.Any(s => s.ServiceType == typeof(IMemberProber)))
        {
            throw new InvalidOperationException(
                $"No {nameof(IMemberProber)} is registered, so the pair grains could not probe any member. " +
                "Register one through the configureServices callback of ProxyHost.Build.");
        }

        var app = builder.Build();
        app.MapAdminApi();
        return app;
    }

    // Stands in for OrleansProxy.Grains.Hosting.AddHaPairs, which the grain project is adding.
    private static void AddPairGrainServices(ISiloBuilder silo)
    {
        silo.UseInMemoryReminderService();
        silo.Services.TryAddSingleton(TimeProvider.System);
    }
}
