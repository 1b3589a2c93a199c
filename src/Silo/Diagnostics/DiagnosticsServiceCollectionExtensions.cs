namespace OrleansProxy.Silo.Diagnostics;

internal static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>The node's metrics, the pair status poller that feeds them, and their Prometheus export.</summary>
    public static IServiceCollection AddNodeDiagnostics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddHostedService<PairStatusPoller>();
        return services;
    }
}
