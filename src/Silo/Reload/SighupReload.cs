using System.Runtime.InteropServices;

namespace OrleansProxy.Silo.Reload;

/// <summary>
/// Reloads the configuration on SIGHUP, the Unix habit for "read your configuration again". The signal handler only
/// queues the reload: the handler runs on the runtime's signal thread, which must not wait for grain calls.
/// </summary>
internal sealed class SighupReload(ConfigurationReloader reloader, ILogger<SighupReload> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;
    private CancellationTokenSource? _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return Task.CompletedTask;
        }

        _stopping = new CancellationTokenSource();
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // Handled: the default action of SIGHUP ends the process.
            context.Cancel = true;
            _ = ReloadAsync(_stopping.Token);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        _registration = null;
        _stopping?.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _stopping?.Dispose();
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        const string TriggeredBy = "SIGHUP";
        try
        {
            // The reloader logs the outcome, faults included, one line each.
            await reloader.ReloadAsync(TriggeredBy, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node stops: the reload has nothing left to apply to.
        }
        catch (Exception e)
        {
            logger.ReloadFailed(TriggeredBy, e);
        }
    }
}
