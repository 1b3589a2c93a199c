using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Drains the node when the host stops: in <see cref="StoppingAsync"/>, which runs before any hosted service
/// stops (so the SIP listeners are still open to send the last responses), it refuses new transactions and
/// waits for those in flight to finish or for the drain time to pass, whichever comes first.
/// </summary>
internal sealed class TransactionDrain(ProxySettings settings, TimeProvider timeProvider, ILogger<TransactionDrain> logger)
    : IDrainState, IHostedLifecycleService
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryBeginTransaction()
    {
        // Counted before the check: a drain that starts in between then waits for this transaction
        // instead of missing it.
        Interlocked.Increment(ref _inFlight);
        if (!_draining)
        {
            return true;
        }

        EndTransaction();
        return false;
    }

    public void EndTransaction()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
        {
            _drained.TrySetResult();
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var inFlight = InFlight;
        if (inFlight == 0)
        {
            logger.DrainFinished(0);
            return;
        }

        logger.DrainStarted(inFlight, (long)settings.DrainTime.TotalMilliseconds);
        try
        {
            await _drained.Task.WaitAsync(settings.DrainTime, timeProvider, cancellationToken).ConfigureAwait(false);
            logger.DrainFinished(inFlight);
        }
        catch (TimeoutException)
        {
            logger.DrainTimedOut(InFlight, (long)settings.DrainTime.TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            logger.DrainTimedOut(InFlight, (long)settings.DrainTime.TotalMilliseconds);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
