using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Grains.Hosting;
using OrleansProxy.Grains.Tests.TestCommon;

namespace OrleansProxy.Grains.Tests.Hosting;

[Collection(HaPairClusterDefinition.Name)]
public sealed class HaPairSiloBuilderExtensionsTests(HaPairClusterFixture fixture)
{
    [Fact]
    public void AddHaPairs_MinimumReminderPeriodGiven_LowersReminderOption()
    {
        var services = fixture.Cluster.Silos[0].ServiceProvider;

        var options = services.GetRequiredService<IOptions<ReminderOptions>>().Value;

        Assert.Equal(HaPairClusterFixture.MinimumReminderPeriod, options.MinimumReminderPeriod);
    }

    [Fact]
    public void AddHaPairs_NoPeriodGiven_KeepsOrleansDefaultAndSystemTime()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddHaPairs());
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(1), services.GetRequiredService<IOptions<ReminderOptions>>().Value.MinimumReminderPeriod);
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddHaPairs_TimeProviderAlreadyRegistered_KeepsIt()
    {
        var fake = new FakeTimeProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(fake);
        builder.UseOrleans(silo => silo.AddHaPairs());
        using var services = builder.Services.BuildServiceProvider();

        Assert.Same(fake, services.GetRequiredService<TimeProvider>());
    }
}
