using System.Collections.Concurrent;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Diagnostics;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// Where requests wait while their pair has no serving member (the gap of a takeover, or a node that has not heard
/// its first probe answer): they leave the moment the pair's grain publishes a route with a serving member, not at
/// their next grain call. Bounded in time and in count; past either the request is refused with a reason that
/// names the pair. Waiters hold no timer of their own: each awaits one shared task per pair with a time-out.
/// </summary>
internal sealed partial class RequestHold(HoldSettings settings, NodeMetrics metrics, TimeProvider time, ILogger<RequestHold> logger)
{
    private readonly ConcurrentDictionary<string, PairRoutes> pairs = new(StringComparer.Ordinal);
    private int waiting;

    public HoldSettings Settings => settings;

    /// <summary>Requests waiting now, over all pairs.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Called on the pair grain's turn: releases the pair's waiters when the route has a serving member.</summary>
    public void OnRouteChanged(PairRoute route)
    {
        var waiters = RoutesOf(route.Pair).Publish(route, out var released);
        if (released is null)
        {
            return;
        }

        if (waiters > 0)
        {
            LogReleased(logger, route.Pair, waiters, route.ActiveMember!);
        }

        released.TrySetResult(route);
    }

    /// <summary>The route the pair's grain published last, on its own turn; null before the pair's first change.</summary>
    public PairRoute? LatestPublished(string pair) => pairs.TryGetValue(pair, out var routes) ? routes.Latest : null;

    /// <summary>
    /// Waits until the pair publishes a route with a serving member other than <paramref name="seen"/>: a route that
    /// was unavailable, or one whose active member could not take the request.
    /// </summary>
    public async ValueTask<HoldOutcome> WaitAsync(PairRoute seen, CancellationToken cancellationToken)
    {
        var pair = seen.Pair;
        if (settings.Time <= TimeSpan.Zero)
        {
            return HoldOutcome.Refused($"Service Unavailable (pair {pair} has no serving member)");
        }

        if (Interlocked.Increment(ref waiting) > settings.MaxRequests)
        {
            Interlocked.Decrement(ref waiting);
            metrics.RecordHoldExpired(pair, "full");
            if (RoutesOf(pair).TakeRefusalsToLog(time.GetUtcNow()) is > 0 and var refused)
            {
                LogFull(logger, pair, settings.MaxRequests, refused);
            }

            return HoldOutcome.Refused($"Service Unavailable (pair {pair} has no serving member and {settings.MaxRequests} requests wait already)");
        }

        metrics.RecordHeld(pair);
        var started = time.GetTimestamp();
        var routes = RoutesOf(pair);
        routes.Enter();
        try
        {
            while (true)
            {
                var next = routes.Next(seen, out var changed);
                if (changed is { IsAvailable: true })
                {
                    return Released(pair, changed, started);
                }

                seen = changed ?? seen;
                var remaining = settings.Time - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                try
                {
                    var published = await next.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
                    if (published.Version != seen.Version)
                    {
                        return Released(pair, published, started);
                    }
                }
                catch (TimeoutException)
                {
                    break;
                }
            }

            metrics.RecordHoldExpired(pair, "time");
            if (routes.TakeRefusalsToLog(time.GetUtcNow()) is > 0 and var expired)
            {
                LogExpired(logger, pair, settings.Time, expired);
            }

            return HoldOutcome.Refused($"Service Unavailable (pair {pair} has had no serving member for {settings.Time.TotalMilliseconds:0} ms)");
        }
        finally
        {
            routes.Leave();
            Interlocked.Decrement(ref waiting);
        }
    }

    private HoldOutcome Released(string pair, PairRoute route, long started)
    {
        metrics.RecordHoldReleased(pair, time.GetElapsedTime(started));
        return HoldOutcome.Released(route);
    }

    private PairRoutes RoutesOf(string pair) => pairs.GetOrAdd(pair, static _ => new PairRoutes());

    [LoggerMessage(EventId = SiloEventIds.HoldReleased, Level = LogLevel.Information,
        Message = "Pair {Pair}: {Count} held request(s) leave for {Member}, which serves now")]
    private static partial void LogReleased(ILogger logger, string pair, int count, string member);

    [LoggerMessage(EventId = SiloEventIds.HoldExpired, Level = LogLevel.Warning,
        Message = "Pair {Pair}: {Count} request(s) waited {Hold} for a serving member; answered 503")]
    private static partial void LogExpired(ILogger logger, string pair, TimeSpan hold, int count);

    [LoggerMessage(EventId = SiloEventIds.HoldFull, Level = LogLevel.Warning,
        Message = "Pair {Pair}: {Max} requests wait for a serving member already; {Count} new one(s) answered 503")]
    private static partial void LogFull(ILogger logger, string pair, int max, int count);

    /// <summary>The latest route published for one pair, and the task its waiters await for the next one.</summary>
    private sealed class PairRoutes
    {
        private readonly Lock gate = new();
        private PairRoute? latest;
        private TaskCompletionSource<PairRoute> next = NewWait();
        private int waiters;
        private int refusalsNotLogged;
        private DateTimeOffset lastLogged;

        public PairRoute? Latest => Volatile.Read(ref latest);

        public void Enter() => Interlocked.Increment(ref waiters);

        public void Leave() => Interlocked.Decrement(ref waiters);

        /// <summary>
        /// Counts one refusal; at most once a second returns how many to log in one line (else 0), so that an outage
        /// under load logs a line a second, not one per request.
        /// </summary>
        public int TakeRefusalsToLog(DateTimeOffset now)
        {
            lock (gate)
            {
                refusalsNotLogged++;
                if (now - lastLogged < TimeSpan.FromSeconds(1))
                {
                    return 0;
                }

                lastLogged = now;
                var count = refusalsNotLogged;
                refusalsNotLogged = 0;
                return count;
            }
        }

        /// <returns>How many wait; <paramref name="released"/> is the task to complete, null when the route is stale or serves nobody.</returns>
        public int Publish(PairRoute route, out TaskCompletionSource<PairRoute>? released)
        {
            lock (gate)
            {
                released = null;
                // A grain publishes on its own turn, so its routes arrive in order; a lower version than the latest
                // comes from a new activation, which counts from the start again.
                if (latest is not null && route.Version == latest.Version)
                {
                    return 0;
                }

                Volatile.Write(ref latest, route);
                if (!route.IsAvailable)
                {
                    return 0;
                }

                released = next;
                next = NewWait();
                return Volatile.Read(ref waiters);
            }
        }

        /// <summary>The task to await for the next serving route; <paramref name="current"/> is the latest route when it is not <paramref name="seen"/>.</summary>
        public Task<PairRoute> Next(PairRoute seen, out PairRoute? current)
        {
            lock (gate)
            {
                current = latest is not null && latest.Version != seen.Version ? latest : null;
                return next.Task;
            }
        }

        private static TaskCompletionSource<PairRoute> NewWait() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
