using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

public sealed class ProxyHostTests
{
    [Fact]
    public async Task Build_Default_ProbesMembersWithSipOptions()
    {
        await using var app = ProxyHost.Build(TestConfiguration.With());

        Assert.IsType<SipMemberProber>(app.Services.GetRequiredService<IMemberProber>());
    }

    [Fact]
    public void Build_ConfigurationWithFaults_Refused()
    {
        var faulty = TestConfiguration.With(("Proxy:Probe:IntervalMs", "abc"));

        Assert.Throws<ArgumentException>(() => ProxyHost.Build(faulty, AddProber));
    }

    [Fact]
    public async Task Build_WithProber_ServesTheValidatedSettingsAndCatalog()
    {
        var configuration = TestConfiguration.With(("Proxy:Pairs:0:Name", "built"));

        await using var app = ProxyHost.Build(configuration, AddProber);

        Assert.Same(configuration.Settings, app.Services.GetRequiredService<ProxySettings>());
        Assert.Equal("built", Assert.Single(app.Services.GetRequiredService<IHaPairCatalog>().Pairs).Name);
    }

    [Fact]
    public async Task Build_ConfigureServices_OverridesHostRegistrations()
    {
        var replacement = new ConfiguredPairCatalog(TestConfiguration.With(("Proxy:Pairs:0:Name", "replaced")).Settings!);

        await using var app = ProxyHost.Build(
            TestConfiguration.With(),
            services =>
            {
                AddProber(services);
                services.AddSingleton<IHaPairCatalog>(replacement);
            });

        Assert.Same(replacement, app.Services.GetRequiredService<IHaPairCatalog>());
    }

    private static void AddProber(IServiceCollection services) => services.AddSingleton<IMemberProber>(new FakeMemberProber());
}
