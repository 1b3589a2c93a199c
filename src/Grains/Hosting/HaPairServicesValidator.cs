using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Hosting;

/// <summary>
/// Fails silo start-up when the host forgot a service the pair grains need, instead of
/// failing every grain activation later with a dependency-injection error.
/// </summary>
internal sealed class HaPairServicesValidator(IServiceProvider services) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        Require<IHaPairCatalog>("the configured HA pairs");
        Require<IMemberProber>("how pair members are probed");
        Require<IPairListener>("who is told when a pair's route changes or a member is lost");
    }

    private void Require<TService>(string purpose)
        where TService : class
    {
        if (services.GetService<TService>() is null)
        {
            throw new OrleansConfigurationException(
                $"AddHaPairs: register an {typeof(TService).Name} ({purpose}) in the silo's services.");
        }
    }
}
