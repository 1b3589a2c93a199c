using OrleansProxy.Grains.Hosting;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Silo.Admin;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Reload;
using Serilog;

namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Builds the proxy node: Serilog from configuration, the localhost silo with the pair
/// grains, the SIP front-end, metrics, the drain on stop, and Kestrel serving the admin API
/// and status page on Proxy:Admin:Url only.
/// </summary>
internal static class ProxyHost
{
    // Room after the drain for the silo and the listeners to stop.
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);

    /// <param name="configuration">A valid configuration, from <see cref="ConfigurationLoader"/>.</param>
    /// <param name="configureServices">
    /// Runs after the host's own registrations, so tests may replace services (e.g. the member prober).
    /// </param>
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
            (_, logger) => NodeLogging.Configure(logger, configuration.Configuration, settings.LogFormat),
            preserveStaticLogger: true);

        builder.WebHost.UseKestrelCore().UseUrls(settings.AdminUrl.ToString());
        builder.Services.AddRoutingCore();

        builder.Services.AddSingleton(settings);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.DrainTime + StopMargin);

        // First of the hosted services, so that its StoppingAsync holds the stop before any other stops.
        builder.Services.AddSingleton<TransactionDrain>();
        builder.Services.AddSingleton<IDrainState>(provider => provider.GetRequiredService<TransactionDrain>());
        builder.Services.AddHostedService(provider => provider.GetRequiredService<TransactionDrain>());
        builder.Services.AddSingleton<NodeReadiness>();
        builder.Services.AddSingleton(new WarmUpProgress(settings.WarmUp));
        builder.Services.AddSingleton<ConfiguredPairCatalog>();
        builder.Services.AddSingleton<IHaPairCatalog>(provider => provider.GetRequiredService<ConfiguredPairCatalog>());
        builder.UseOrleans(silo =>
        {
            // gatewayPort 0: no gateway, nothing outside this process calls the grains.
            silo.UseLocalhostClustering(settings.SiloPort, gatewayPort: 0);
            silo.AddHaPairs();
        });
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PairStarter>();

        // After UseOrleans: hosted services start in registration order, so the silo answers before SIP traffic flows.
        builder.Services.AddSipFrontEnd(new SipFrontEndSettings(
            settings.Listen,
            settings.Aliases,
            settings.RecordRoute,
            settings.Routing,
            settings.MaxMessageBytes,
            settings.Transactions)
        {
            Streams = settings.Streams,
            Capture = settings.Capture,
            UdpMaxRequestBytes = settings.UdpMaxRequestBytes,
            Path = settings.Path,
            Product = settings.Product,
            Overload = settings.Overload,
            WarmUp = settings.WarmUp,
        });

        builder.Services.AddNodeDiagnostics();
        builder.Services.AddDnsNextHopLocator(settings.Dns);
        builder.Services.AddConfigurationReload(configuration);

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapAdminApi();
        return app;
    }
}
