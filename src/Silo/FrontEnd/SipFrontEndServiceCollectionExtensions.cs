using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Probing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.FrontEnd;

internal static class SipFrontEndServiceCollectionExtensions
{
    /// <summary>
    /// The SIP side of the node: listeners and proxy core, the grain-backed resolver, and OPTIONS probing
    /// for the pair grains. Register after UseOrleans so the silo starts first. The next-hop locator
    /// (RFC 3263 DNS) is registered by the host.
    /// </summary>
    public static IServiceCollection AddSipFrontEnd(this IServiceCollection services, SipFrontEndSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(provider => new SipMetrics(provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(provider => new LiveRouting(RoutingSnapshot.Create(
            provider.GetRequiredService<Configuration.ProxySettings>(),
            provider.GetRequiredService<Orleans.IGrainFactory>())));
        services.AddSingleton(provider => new TlsServerNames(provider.GetRequiredService<LiveRouting>().Current.Directory));
        services.AddSingleton<SipCapture>();
        services.AddSingleton(provider => new MemberProbers(
            settings.Listen,
            settings.Streams.ToTransportOptions(settings.MaxMessageBytes, provider.GetRequiredService<TlsServerNames>()),
            settings.Product,
            provider.GetRequiredService<SipMetrics>(),
            provider.GetRequiredService<ILogger<OptionsProber>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<SipCapture>().Capture));
        services.AddSingleton<IMemberProber, SipMemberProber>();
        services.AddSingleton(provider => new RequestHold(
            settings.Transactions.Hold,
            provider.GetRequiredService<Diagnostics.NodeMetrics>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<RequestHold>>()));
        services.AddSingleton(provider =>
        {
            var queueDelay = new ReceiveQueueDelay();
            provider.GetRequiredService<SipMetrics>().Observe(queueDelay);
            return queueDelay;
        });
        services.AddSingleton(provider =>
        {
            // Pair members and trusted networks carry every call of their server: they are never limited per source.
            var routing = provider.GetRequiredService<LiveRouting>();
            return new OverloadControl(
                settings.Overload,
                provider.GetRequiredService<SipMetrics>(),
                provider.GetRequiredService<ILogger<OverloadControl>>(),
                provider.GetRequiredService<TimeProvider>(),
                source => routing.Current.Policy.IsServer(source),
                provider.GetRequiredService<ReceiveQueueDelay>());
        });
        services.AddSingleton<GrainTargetResolver>();
        services.AddSingleton<ITargetResolver>(provider => provider.GetRequiredService<GrainTargetResolver>());
        services.AddSingleton<SipFrontEnd>();
        services.AddHostedService(provider => provider.GetRequiredService<SipFrontEnd>());
        services.AddSingleton<IPairListener>(provider => provider.GetRequiredService<SipFrontEnd>());
        return services;
    }
}
