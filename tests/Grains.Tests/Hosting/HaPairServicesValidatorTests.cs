using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains.Hosting;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;
using OrleansProxy.Grains.Tests.TestCommon;

namespace OrleansProxy.Grains.Tests.Hosting;

public sealed class HaPairServicesValidatorTests
{
    [Fact]
    public void ValidateConfiguration_CatalogMissing_ThrowsNamingIt()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IMemberProber>(new ScriptableProber(TimeProvider.System))
            .AddSingleton<IPairListener>(new RecordingPairListener())
            .BuildServiceProvider();

        var error = Assert.Throws<OrleansConfigurationException>(new HaPairServicesValidator(services).ValidateConfiguration);

        Assert.Contains(nameof(IHaPairCatalog), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_ProberMissing_ThrowsNamingIt()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IHaPairCatalog>(new FakePairCatalog())
            .AddSingleton<IPairListener>(new RecordingPairListener())
            .BuildServiceProvider();

        var error = Assert.Throws<OrleansConfigurationException>(new HaPairServicesValidator(services).ValidateConfiguration);

        Assert.Contains(nameof(IMemberProber), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_PairListenerMissing_ThrowsNamingIt()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IHaPairCatalog>(new FakePairCatalog())
            .AddSingleton<IMemberProber>(new ScriptableProber(TimeProvider.System))
            .BuildServiceProvider();

        var error = Assert.Throws<OrleansConfigurationException>(new HaPairServicesValidator(services).ValidateConfiguration);

        Assert.Contains(nameof(IPairListener), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_AllRegistered_Passes()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IHaPairCatalog>(new FakePairCatalog())
            .AddSingleton<IMemberProber>(new ScriptableProber(TimeProvider.System))
            .AddSingleton<IPairListener>(new RecordingPairListener())
            .BuildServiceProvider();

        Assert.Null(Record.Exception(new HaPairServicesValidator(services).ValidateConfiguration));
    }
}
