using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Diagnostics;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Overload;

/// <summary>
/// Refuses the excess at the entry of the proxy core, before any transaction state exists: a source over its rate is
/// dropped unanswered for a while (like Kamailio's pike), and new INVITEs past the node's cap, or while its receive
/// queue stands longer than <see cref="OverloadLimits.MaxQueueDelay"/>, get 503 with Retry-After. All are counted in
/// <see cref="SipMetrics.OverloadDropped"/> without a per-source label. The limits can be changed while traffic flows
/// (<see cref="Reconfigure"/>).
/// </summary>
public sealed partial class OverloadControl
{
    private static readonly KeyValuePair<string, object?> SourceRateTag = new("reason", "source_rate");
    private static readonly KeyValuePair<string, object?> InviteRateTag = new("reason", "invite_rate");
    private static readonly KeyValuePair<string, object?> QueueDelayTag = new("reason", "queue_delay");

    private readonly SipMetrics metrics;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Func<IPEndPoint, bool>? isTrusted;
    private readonly ReceiveQueueDelay? queueDelay;
    private readonly BadInputLogLimiter log;
    private volatile State state;
    private long invitesFullAt;

    /// <param name="isTrusted">Sources never limited by their rate besides <see cref="OverloadLimits.ExemptNetworks"/> (the host's SIP servers); asked only when a source goes over its rate.</param>
    /// <param name="queueDelay">The node's receive queue delay; null leaves <see cref="OverloadLimits.MaxQueueDelay"/> without effect.</param>
    public OverloadControl(OverloadLimits limits, SipMetrics metrics, ILogger<OverloadControl> logger, TimeProvider? time = null, Func<IPEndPoint, bool>? isTrusted = null, ReceiveQueueDelay? queueDelay = null)
    {
        this.queueDelay = queueDelay;
        this.metrics = metrics;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        this.isTrusted = isTrusted;
        log = BadInputLogLimiter.Default(this.time);
        state = new State(limits, this.time.TimestampFrequency, previous: null);
    }

    public OverloadLimits Limits => state.Limits;

    /// <summary>Source addresses followed now; never more than <see cref="OverloadLimits.TrackedSources"/>.</summary>
    public int TrackedSourceCount => state.Sources?.Count ?? 0;

    /// <summary>Takes new limits at once; blocks and buckets of sources are kept when the per-source limit stays the same.</summary>
    public void Reconfigure(OverloadLimits limits) => state = new State(limits, time.TimestampFrequency, state);

    /// <summary>Whether to handle a message from <paramref name="source"/>; false: drop it unanswered (counted, logged once per block).</summary>
    public bool AdmitsMessageFrom(IPEndPoint source)
    {
        var current = state;
        if (current.Sources is not { } sources)
        {
            return true;
        }

        var now = time.GetTimestamp();
        switch (sources.Check(source.Address, now))
        {
            case SourceVerdict.Admitted:
                return true;
            case SourceVerdict.Blocked:
                metrics.OverloadDropped.Add(1, SourceRateTag);
                return false;
        }

        if (IsExempt(current.Limits, source))
        {
            sources.Exempt(source.Address, now);
            return true;
        }

        sources.Block(source.Address, now);
        metrics.OverloadDropped.Add(1, SourceRateTag);
        if (log.ShouldLog(source.Address, SipLogEvents.SourceBlocked, 0, out var suppressed))
        {
            LogSourceBlocked(logger, source.Address, current.Limits.PerSourceMessagesPerSecond, current.Limits.SourceBlockTime.TotalSeconds, suppressed);
        }

        return false;
    }

    /// <summary>
    /// Whether a new (out-of-dialog) INVITE may start a transaction; when not, answer it 503 with
    /// <paramref name="reasonPhrase"/> and the header line <paramref name="retryAfter"/> (counted, logged now and then).
    /// </summary>
    public bool AdmitsNewInvite(out string reasonPhrase, out ReadOnlyMemory<byte> retryAfter)
    {
        var current = state;
        retryAfter = current.RetryAfter;
        if (queueDelay is not null && current.Limits.MaxQueueDelay > TimeSpan.Zero && queueDelay.Current > current.Limits.MaxQueueDelay)
        {
            reasonPhrase = current.QueueDelayRefusal;
            metrics.OverloadDropped.Add(1, QueueDelayTag);
            if (log.ShouldLog(BadInputLogLimiter.ManySources, SipLogEvents.QueueDelayReached, 0, out var skipped))
            {
                LogQueueDelayReached(logger, queueDelay.Current.TotalMilliseconds, current.Limits.MaxQueueDelay.TotalMilliseconds, skipped);
            }

            return false;
        }

        reasonPhrase = current.InviteRefusal;
        if (current.Invites is not { } invites || invites.TryTakeShared(ref invitesFullAt, time.GetTimestamp()))
        {
            return true;
        }

        metrics.OverloadDropped.Add(1, InviteRateTag);
        if (log.ShouldLog(BadInputLogLimiter.ManySources, SipLogEvents.InviteCapReached, 0, out var suppressed))
        {
            LogInviteCapReached(logger, current.Limits.InvitesPerSecond, suppressed);
        }

        return false;
    }

    private bool IsExempt(OverloadLimits limits, IPEndPoint source)
    {
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        foreach (var network in limits.ExemptNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return isTrusted?.Invoke(source) ?? false;
    }

    [LoggerMessage(EventId = SipLogEvents.SourceBlocked, Level = LogLevel.Warning, Message = "Source {Source} sent more than {Rate} messages a second: its messages are dropped for {BlockSeconds} s ({Suppressed} more blocks of this address not logged since the last line)")]
    private static partial void LogSourceBlocked(ILogger logger, IPAddress source, int rate, double blockSeconds, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.InviteCapReached, Level = LogLevel.Warning, Message = "More than {Rate} new INVITEs a second: the excess is answered 503 ({Suppressed} more refusals not logged since the last line)")]
    private static partial void LogInviteCapReached(ILogger logger, int rate, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.QueueDelayReached, Level = LogLevel.Warning, Message = "Datagrams wait {DelayMs} ms in the receive queue, more than {MaxDelayMs} ms: new INVITEs are answered 503 ({Suppressed} more refusals not logged since the last line)")]
    private static partial void LogQueueDelayReached(ILogger logger, double delayMs, double maxDelayMs, long suppressed);

    /// <summary>One set of limits and what is derived from it, swapped whole so a message never sees half of a reload.</summary>
    private sealed class State
    {
        public State(OverloadLimits limits, long frequency, State? previous)
        {
            Limits = limits;
            if (limits.InvitesPerSecond > 0)
            {
                Invites = new RateBucket(limits.InvitesPerSecond, frequency);
            }

            var old = previous?.Limits;
            if (old is not null && previous!.Sources is not null
                && old.PerSourceMessagesPerSecond == limits.PerSourceMessagesPerSecond
                && old.SourceBlockTime == limits.SourceBlockTime
                && old.TrackedSources == limits.TrackedSources)
            {
                Sources = previous.Sources;
            }
            else if (limits.PerSourceMessagesPerSecond > 0)
            {
                Sources = new SourceRateLimit(limits.PerSourceMessagesPerSecond, limits.SourceBlockTime, limits.TrackedSources, frequency);
            }

            InviteRefusal = $"Service Unavailable (overload: {limits.InvitesPerSecond} INVITEs per second)";
            QueueDelayRefusal = $"Service Unavailable (overload: receive queue over {limits.MaxQueueDelay.TotalMilliseconds} ms)";
            RetryAfter = Encoding.ASCII.GetBytes($"Retry-After: {limits.RetryAfterSeconds}\r\n");
        }

        public OverloadLimits Limits { get; }

        public RateBucket? Invites { get; }

        public SourceRateLimit? Sources { get; }

        public string InviteRefusal { get; }

        public string QueueDelayRefusal { get; }

        public ReadOnlyMemory<byte> RetryAfter { get; }
    }
}
