using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansProxy.Routing.Location;
using OrleansProxy.Silo.Diagnostics;

namespace OrleansProxy.Silo.FrontEnd;

internal static class DnsLocatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DnsNextHopLocator"/> as the node's one <see cref="INextHopLocator"/>. It counts into
    /// <see cref="NodeMetrics"/>, so the host must also have called <c>AddNodeDiagnostics</c>.
    /// </summary>
    public static IServiceCollection AddDnsNextHopLocator(this IServiceCollection services, DnsLocatorSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<INextHopLocator>(provider => new DnsNextHopLocator(
            new DnsClientQuery(settings),
            settings,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<NodeMetrics>(),
            provider.GetRequiredService<ILogger<DnsNextHopLocator>>()));
        return services;
    }
}
