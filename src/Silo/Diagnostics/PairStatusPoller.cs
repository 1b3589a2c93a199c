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

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: the one normal end of polling.
        }
    }

    private async Task PollOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var statuses = await Task.WhenAll(catalog.Pairs.Select(p => grains.GetGrain<IHaPairGrain>(p.Name).GetStatus())).ConfigureAwait(false);
            metrics.Publish(statuses);
            if (_failing)
            {
                _failing = false;
                logger.PairStatusPollRecovered();
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Once per outage, not once a second: the next rounds keep trying, and the gauges keep their last values.
            if (!_failing)
            {
                _failing = true;
                logger.PairStatusPollFailed(e);
            }
        }
    }
}
