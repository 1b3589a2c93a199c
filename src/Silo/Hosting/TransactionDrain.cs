using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.FrontEnd;

namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Drains the node when the host stops: in <see cref="StoppingAsync"/>, which runs before any hosted service
/// stops (so the SIP listeners are still open to carry the last responses), it refuses requests that start
/// something new and waits until nothing is being routed and every forwarded request has its answer, or for
/// the drain time, whichever comes first.
/// </summary>
internal sealed class TransactionDrain(ProxySettings settings, TimeProvider timeProvider, ILogger<TransactionDrain> logger)
    : IDrainState, IHostedLifecycleService
{
    // Only while stopping: a poll keeps one wait for two counts, one of which lives in the proxy core.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private Func<int> _unanswered = static () => 0;
    private int _inFlight;
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryBeginTransaction(bool inDialog)
    {
        // Counted before the check: a drain that starts in between then waits for this transaction
        // instead of missing it.
        Interlocked.Increment(ref _inFlight);
        if (!_draining || inDialog)
        {
            return true;
        }

        EndTransaction();
        return false;
    }

    public void EndTransaction() => Interlocked.Decrement(ref _inFlight);

    public void WaitForAnswers(Func<int> unanswered) => _unanswered = unanswered;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var pending = Pending();
        if (pending == 0)
        {
            logger.DrainFinished(0);
            return;
        }

        var drainMs = (long)settings.DrainTime.TotalMilliseconds;
        logger.DrainStarted(pending, drainMs);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.DrainTime);
        try
        {
            while (Pending() > 0)
            {
                await Task.Delay(Poll, timeProvider, deadline.Token).ConfigureAwait(false);
            }

            logger.DrainFinished(pending);
        }
        catch (OperationCanceledException)
        {
            logger.DrainTimedOut(Pending(), drainMs);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private int Pending() => InFlight + _unanswered();
}
