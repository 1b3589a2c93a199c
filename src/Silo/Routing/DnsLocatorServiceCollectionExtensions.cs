using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansProxy.Silo.Routing;

internal static class DnsLocatorServiceCollectionExtensions
{
    /// <summary>Registers <see cref="DnsNextHopLocator"/> as the node's one <see cref="INextHopLocator"/>.</summary>
    public static IServiceCollection AddDnsNextHopLocator(this IServiceCollection services, DnsLocatorSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<INextHopLocator>(provider => new DnsNextHopLocator(
            settings,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DnsNextHopLocator>>()));
        return services;
    }
}
