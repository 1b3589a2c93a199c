using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Starts every configured pair's grain once the silo is active, so probing begins at
/// start-up rather than on the first request. A pair that fails to start fails the
/// silo's start, and with it the host's.
/// </summary>
internal sealed class PairStarter(IGrainFactory grains, IHaPairCatalog catalog, ILogger<PairStarter> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PairStarter), ServiceLifecycleStage.Active, StartPairsAsync);

    private async Task StartPairsAsync(CancellationToken cancellationToken)
    {
        foreach (var pair in catalog.Pairs)
        {
            await grains.GetGrain<IHaPairGrain>(pair.Name).Start().WaitAsync(cancellationToken);
            logger.PairStarted(pair.Name, pair.Primary, pair.Backup);
        }
    }
}
