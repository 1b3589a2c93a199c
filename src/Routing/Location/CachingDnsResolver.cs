using System.Collections.Concurrent;

namespace OrleansProxy.Routing.Location;

/// <summary>
/// Asks DNS through one <see cref="IDnsQuery"/> and keeps each answer for its TTL (within the settings' floor
/// and ceiling), and a negative or failed answer for the negative TTL. Callers asking the same question while it
/// is in flight share that one query. Answers never fault: a time-out or error becomes a <see cref="DnsAnswerKind.Failed"/> answer.
/// </summary>
/// <remarks>
/// The cache is ours rather than the DNS library's so that expiry follows the injected <see cref="TimeProvider"/> and
/// failures are cached as well; <see cref="DnsClientQuery"/> does not cache.
/// </remarks>
internal sealed class CachingDnsResolver
{
    // A question whose cached answer keeps being replaced under us is asked without the cache rather than spun on.
    private const int MaxInstallAttempts = 3;

    private readonly IDnsQuery _dns;
    private readonly DnsLocatorSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILocationMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Name, DnsQueryType Type), Task<DnsAnswer>> _answers = new();

    public CachingDnsResolver(IDnsQuery dns, DnsLocatorSettings settings, TimeProvider timeProvider, ILocationMetrics metrics, ILogger logger)
    {
        _dns = dns;
        _settings = settings;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
    }

    /// <param name="name">Fully qualified, with the trailing dot, so that no search domain is appended.</param>
    /// <param name="cancellationToken">Stops this caller's wait only; the shared query runs on for the others.</param>
    public Task<DnsAnswer> QueryAsync(string name, DnsQueryType type, CancellationToken cancellationToken)
    {
        var question = (name, type);
        for (var attempt = 0; attempt < MaxInstallAttempts; attempt++)
        {
            var known = _answers.GetValueOrDefault(question);
            if (known is not null && IsFresh(known))
            {
                return known.WaitAsync(cancellationToken);
            }

            if (known is null && !HasRoomForOneMore())
            {
                break;
            }

            var pending = new TaskCompletionSource<DnsAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            var installed = known is null
                ? _answers.TryAdd(question, pending.Task)
                : _answers.TryUpdate(question, pending.Task, known);
            if (installed)
            {
                _ = CompleteAsync(pending, name, type);
                return pending.Task.WaitAsync(cancellationToken);
            }
        }

        return AskAsync(name, type).WaitAsync(cancellationToken);
    }

    private async Task CompleteAsync(TaskCompletionSource<DnsAnswer> pending, string name, DnsQueryType type) =>
        pending.SetResult(await AskAsync(name, type).ConfigureAwait(false));

    private bool IsFresh(Task<DnsAnswer> answer) =>
        !answer.IsCompleted || answer.Result.ExpiresAt > _timeProvider.GetUtcNow();

    private bool HasRoomForOneMore()
    {
        if (_answers.Count < _settings.MaxCachedQuestions)
        {
            return true;
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var entry in _answers)
        {
            if (entry.Value.IsCompleted && entry.Value.Result.ExpiresAt <= now)
            {
                _answers.TryRemove(entry);
            }
        }

        return _answers.Count < _settings.MaxCachedQuestions;
    }

    private async Task<DnsAnswer> AskAsync(string name, DnsQueryType type)
    {
        // No caller's token: the query is shared, and the query's own time-out bounds it.
        var response = await _dns.QueryAsync(name, type, CancellationToken.None).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        switch (response.Kind)
        {
            case DnsAnswerKind.Failed when response.Failure == DnsFailure.TimedOut:
                _logger.DnsLookupTimedOut(type.ToString(), name, _settings.NegativeCacheTtl);
                _metrics.RecordDnsLookup("timeout");
                return DnsAnswer.Empty(DnsAnswerKind.Failed, now + _settings.NegativeCacheTtl);
            case DnsAnswerKind.Failed:
                _logger.DnsLookupFailed(type.ToString(), name, response.FailureReason, _settings.NegativeCacheTtl);
                _metrics.RecordDnsLookup("failed");
                return DnsAnswer.Empty(DnsAnswerKind.Failed, now + _settings.NegativeCacheTtl);
            case DnsAnswerKind.NoRecords:
                _metrics.RecordDnsLookup("no_records");
                return DnsAnswer.Empty(DnsAnswerKind.NoRecords, now + _settings.NegativeCacheTtl);
        }

        var lowestTtl = response.Answers.Concat<DnsRecord>(response.Additionals).Min(record => record.TimeToLive);
        var ttl = TimeSpan.FromSeconds(lowestTtl);
        ttl = ttl < _settings.MinCacheTtl ? _settings.MinCacheTtl : ttl > _settings.MaxCacheTtl ? _settings.MaxCacheTtl : ttl;
        _metrics.RecordDnsLookup("records");
        return new DnsAnswer(DnsAnswerKind.Records, response.Answers, response.Additionals, now + ttl);
    }
}
