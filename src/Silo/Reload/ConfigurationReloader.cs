using System.Collections.Immutable;
using System.Diagnostics;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Sip.Overload;

namespace OrleansProxy.Silo.Reload;

/// <summary>
/// Reads the node's configuration again from the sources it started with and brings in what can change live: pairs,
/// probing, routing rules, static routes, networks, site, default pair and the overload limits. A configuration with faults is refused
/// whole and the running one stays. The order keeps every request routable: the new pairs' grains are started and
/// probing before the new routing snapshot is published, and changed or removed pairs are told only after it, so no
/// request is routed to a pair that is not ready or through rules that no longer hold.
/// </summary>
internal sealed class ConfigurationReloader(
    ProxyConfiguration initial,
    ConfiguredPairCatalog catalog,
    LiveRouting routing,
    TlsServerNames serverNames,
    IGrainFactory grains,
    NodeMetrics metrics,
    OverloadControl overload,
    TimeProvider timeProvider,
    ILogger<ConfigurationReloader> logger) : IDisposable
{
    // Attempts at a new pair's first route: its activation and first call may outlast the per-call time-out.
    private const int WarmUpAttempts = 10;

    // One reload at a time: two would interleave their catalog and snapshot swaps.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ProxyConfiguration _running = initial;
    private volatile ReloadResult? _last;

    /// <summary>The latest reload, applied or refused; null until the first.</summary>
    public ReloadResult? Last => _last;

    public void Dispose() => _gate.Dispose();

    public async Task<ReloadResult> ReloadAsync(string triggeredBy, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var at = timeProvider.GetUtcNow();
            var started = timeProvider.GetTimestamp();
            var result = await ApplyAsync(at, started, triggeredBy).ConfigureAwait(false);
            _last = result;
            metrics.RecordReload(result.Outcome);
            Log(result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReloadResult> ApplyAsync(DateTimeOffset at, long started, string triggeredBy)
    {
        if (_running.Sources is not { } sources)
        {
            return ReloadResult.Refused(at, triggeredBy, timeProvider.GetElapsedTime(started),
                ["this node's configuration was not loaded from files and arguments it can read again"]);
        }

        var next = ConfigurationLoader.Load(sources);
        if (!next.IsValid)
        {
            return ReloadResult.Refused(at, triggeredBy, timeProvider.GetElapsedTime(started), next.Faults.Select(f => f.ToString()));
        }

        var running = _running.Settings!;
        var restartRequired = RestartOnlyKeys.Changed(_running, next);

        // The header is read once by the proxy core; showing the new one on /api/routes would misreport it.
        var settings = next.Settings with { Routing = next.Settings.Routing with { NextHopHeader = running.Routing.NextHopHeader } };
        RoutingSnapshot snapshot;
        try
        {
            snapshot = RoutingSnapshot.Create(settings, grains);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or ArgumentException)
        {
            return ReloadResult.Refused(at, triggeredBy, timeProvider.GetElapsedTime(started), [$"Proxy:Pairs: {e.Message}"]);
        }

        var changes = PairChanges.Between(running.Pairs, settings.Pairs);
        routing.Stage(snapshot);
        serverNames.AddMembers(snapshot.Directory);
        catalog.Replace(settings.Pairs);
        foreach (var pair in changes.Added)
        {
            try
            {
                await StartPairAsync(snapshot.Grains[pair]).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Nothing was routed to the new pairs yet: going back is putting the catalog back and retiring them.
                catalog.Replace(running.Pairs);
                routing.Unstage();
                foreach (var added in changes.Added)
                {
                    await RetireQuietlyAsync(added).ConfigureAwait(false);
                }

                return ReloadResult.Refused(at, triggeredBy, timeProvider.GetElapsedTime(started),
                    [$"Proxy:Pairs: pair {pair} could not be started: {e.GetBaseException().Message}"]);
            }
        }

        routing.Publish(snapshot);
        overload.Reconfigure(settings.Overload);

        // After the publish: a changed pair's new members are in the snapshot in force before its grain names them,
        // and a removed pair takes no new request before it stops probing. Its transactions under way are not the
        // grain's: they finish on their own, answered by the member they were sent to.
        foreach (var pair in changes.Changed.Concat(changes.Removed))
        {
            try
            {
                await grains.GetGrain<IHaPairGrain>(pair).Reconfigure().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The new routing is in force already and cannot be taken back for one pair; its grain takes the new
                // settings at its next activation, and the operator can reload again.
                logger.ReloadPairNotReconfigured(pair, e);
            }
        }

        routing.ForgetPrevious();
        _running = next;
        return new ReloadResult(
            at,
            ReloadOutcome.Applied,
            triggeredBy,
            timeProvider.GetElapsedTime(started),
            [],
            [.. restartRequired],
            changes.Added,
            changes.Removed,
            changes.MembersChanged,
            changes.ProbeChanged);
    }

    private static async Task StartPairAsync(IHaPairGrain grain)
    {
        // Reconfigure first: an activation left from a pair of that name removed earlier takes the new settings.
        await grain.Reconfigure().ConfigureAwait(false);
        await grain.Start().ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grain.GetRoute().ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (attempt < WarmUpAttempts)
            {
            }
        }
    }

    private async Task RetireQuietlyAsync(string pair)
    {
        try
        {
            await grains.GetGrain<IHaPairGrain>(pair).Reconfigure().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The reload is refused already; a grain that keeps probing is harmless and goes at its next reminder.
            logger.ReloadRollbackFailed(pair, e);
        }
    }

    private void Log(ReloadResult result)
    {
        var milliseconds = result.Duration.TotalMilliseconds;
        if (!result.Applied)
        {
            foreach (var fault in result.Faults)
            {
                logger.ReloadFault(fault);
            }

            logger.ReloadRefused(result.TriggeredBy, result.Faults.Length, milliseconds);
            return;
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.ReloadApplied(
                result.TriggeredBy,
                List(result.Added),
                List(result.Removed),
                List(result.MembersChanged),
                List(result.ProbeChanged),
                milliseconds);
        }

        if (!result.RestartRequired.IsEmpty)
        {
            logger.ReloadNeedsRestart(string.Join(", ", result.RestartRequired.AsEnumerable()));
        }
    }

    private static string List(ImmutableArray<string> pairs) => pairs.IsEmpty ? "none" : string.Join(", ", pairs);
}
