using System.Collections.Concurrent;
using DnsClient;
using DnsClient.Protocol;
using OrleansProxy.Silo.Diagnostics;

namespace OrleansProxy.Silo.Routing;

/// <summary>
/// Asks DNS through one <see cref="LookupClient"/> and keeps each answer for its TTL (within the settings' floor
/// and ceiling), and a negative or failed answer for the negative TTL. Callers asking the same question while it
/// is in flight share that one query. Answers never fault: a time-out or error becomes a <see cref="DnsAnswerKind.Failed"/> answer.
/// </summary>
/// <remarks>
/// The cache is ours rather than DnsClient's so that expiry follows the injected <see cref="TimeProvider"/> and
/// failures are cached as well; DnsClient's cache is off.
/// </remarks>
internal sealed class CachingDnsResolver
{
    // A question whose cached answer keeps being replaced under us is asked without the cache rather than spun on.
    private const int MaxInstallAttempts = 3;

    private readonly LookupClient _client;
    private readonly DnsLocatorSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Name, QueryType Type), Task<DnsAnswer>> _answers = new();

    public CachingDnsResolver(DnsLocatorSettings settings, TimeProvider timeProvider, NodeMetrics metrics, ILogger logger)
    {
        _settings = settings;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        var options = settings.Servers.Count == 0 ? new LookupClientOptions() : new LookupClientOptions([.. settings.Servers]);
        options.UseCache = false;
        options.Timeout = settings.Timeout;
        // A time-out is not retried on the same server: the failure is cached briefly instead, so a dead resolver
        // costs one time-out per question and negative TTL, not three.
        options.Retries = 0;
        options.ThrowDnsErrors = false;
        // NODATA from one resolver is an answer; asking the next one only adds a round trip.
        options.ContinueOnEmptyResponse = false;
        _client = new LookupClient(options);
    }

    /// <param name="name">Fully qualified, with the trailing dot, so that no search domain is appended.</param>
    /// <param name="cancellationToken">Stops this caller's wait only; the shared query runs on for the others.</param>
    public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
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

    private async Task CompleteAsync(TaskCompletionSource<DnsAnswer> pending, string name, QueryType type) =>
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

    private async Task<DnsAnswer> AskAsync(string name, QueryType type)
    {
        IDnsQueryResponse response;
        try
        {
            // No caller's token: the query is shared, and the client's own time-out bounds it.
            response = await _client.QueryAsync(name, type, QueryClass.IN, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DnsResponseException exception) when (exception.Code == DnsResponseCode.ConnectionTimeout)
        {
            _logger.DnsLookupTimedOut(type.ToString(), name, _settings.NegativeCacheTtl);
            _metrics.RecordDnsLookup("timeout");
            return Failed();
        }
#pragma warning disable CA1031 // Any fault of the lookup must become "not located": an exception here would reach the SIP receive path.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.DnsLookupFailed(type.ToString(), name, exception.Message, _settings.NegativeCacheTtl);
            _metrics.RecordDnsLookup("failed");
            return Failed();
        }

        var now = _timeProvider.GetUtcNow();
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            _logger.DnsLookupFailed(type.ToString(), name, response.ErrorMessage, _settings.NegativeCacheTtl);
            _metrics.RecordDnsLookup("failed");
            return Failed();
        }

        var answers = response.Answers.Where(record => record.RecordType == (ResourceRecordType)type).ToList();
        if (answers.Count == 0)
        {
            _metrics.RecordDnsLookup("no_records");
            return DnsAnswer.Empty(DnsAnswerKind.NoRecords, now + _settings.NegativeCacheTtl);
        }

        var additionals = response.Additionals.Where(record => record.RecordType is ResourceRecordType.A or ResourceRecordType.AAAA).ToList();
        var lowestTtl = answers.Concat(additionals).Min(record => record.TimeToLive);
        var ttl = TimeSpan.FromSeconds(lowestTtl);
        ttl = ttl < _settings.MinCacheTtl ? _settings.MinCacheTtl : ttl > _settings.MaxCacheTtl ? _settings.MaxCacheTtl : ttl;
        _metrics.RecordDnsLookup("records");
        return new DnsAnswer(DnsAnswerKind.Records, answers, additionals, now + ttl);

        DnsAnswer Failed() => DnsAnswer.Empty(DnsAnswerKind.Failed, _timeProvider.GetUtcNow() + _settings.NegativeCacheTtl);
    }
}
