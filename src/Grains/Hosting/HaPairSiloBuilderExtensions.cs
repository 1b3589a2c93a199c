using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Hosting;

public static class HaPairSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the HA pair grains need from the silo: the in-memory reminder service
    /// (the keep-alive reminder), <see cref="TimeProvider.System"/> unless a TimeProvider is
    /// already registered, and a start-up check for the three services the host must provide.
    /// </summary>
    /// <remarks>
    /// The host registers <see cref="IHaPairCatalog"/> (the configured pairs),
    /// <see cref="IMemberProber"/> (how a member is probed) and <see cref="IPairListener"/> (what the
    /// host does when a route changes or a member is lost); the silo refuses to start without them.
    /// </remarks>
    /// <param name="minimumReminderPeriod">
    /// Lowers <c>ReminderOptions.MinimumReminderPeriod</c> (Orleans default: 1 minute) so that
    /// a <see cref="ProbeSettings.KeepAlivePeriod"/> below it is accepted. Meant for tests;
    /// leave it null in production.
    /// </param>
    public static ISiloBuilder AddHaPairs(this ISiloBuilder builder, TimeSpan? minimumReminderPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.UseInMemoryReminderService();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IConfigurationValidator, HaPairServicesValidator>();
        if (minimumReminderPeriod is { } period)
        {
            builder.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = period);
        }

        return builder;
    }
}
