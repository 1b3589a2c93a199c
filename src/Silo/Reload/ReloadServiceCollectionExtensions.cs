using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Reload;

internal static class ReloadServiceCollectionExtensions
{
    /// <summary>Configuration reload on SIGHUP and through the admin API; needs the pair catalog and the SIP front-end.</summary>
    public static IServiceCollection AddConfigurationReload(this IServiceCollection services, ProxyConfiguration configuration)
    {
        services.AddSingleton(configuration);
        services.AddSingleton<ConfigurationReloader>();
        services.AddHostedService<SighupReload>();
        return services;
    }
}
