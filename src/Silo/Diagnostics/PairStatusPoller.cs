using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Silo.Diagnostics;

/// <summary>
/// Reads every pair grain's status once a <see cref="Interval"/> and publishes it to <see cref="NodeMetrics"/>,
/// so that pair metrics need nothing from the grains beyond the status the admin API already shows.
/// </summary>
internal sealed class PairStatusPoller(
    IGrainFactory grains,
    IHaPairCatalog catalog,
    NodeMetrics metrics,
    TimeProvider timeProvider,
    ILogger<PairStatusPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PollOnceAsync().ConfigureAwait(false);
            try
            {
                await Task.Delay(Interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task PollOnceAsync()
    {
        try
        {
            var statuses = await Task.WhenAll(catalog.Pairs.Select(p => grains.GetGrain<IHaPairGrain>(p.Name).GetStatus())).ConfigureAwait(false);
            metrics.Publish(statuses);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
        {
            // The silo may still be starting or already stopping; the next round tries again.
            logger.PairStatusPollFailed(e);
        }
    }
}
