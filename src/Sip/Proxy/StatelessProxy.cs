using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Diagnostics;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// The RFC 3261 §16.11 stateless proxy: validates each request (§16.3), processes Route (§16.4), asks the
/// resolver for the next hop and forwards (§16.6); sends responses back along Via (§16.7). It keeps no
/// state between messages, so any instance of a pool can handle any transaction, but for where each recent INVITE
/// went, which its CANCEL and non-2xx ACK follow (§16.11, see <see cref="ForwardedInvites"/>).
/// </summary>
public sealed partial class StatelessProxy : ISipMessageHandler
{
    private static readonly KeyValuePair<string, object?> DropMalformedResponse = new("reason", "malformed_response");
    private static readonly KeyValuePair<string, object?> DropResponseNotOurs = new("reason", "response_not_ours");
    private static readonly KeyValuePair<string, object?> DropAck = new("reason", "ack_not_forwarded");
    private static readonly KeyValuePair<string, object?> DropRoutingTimedOut = new("reason", "routing_timed_out");
    private static readonly KeyValuePair<string, object?> DropResponseNoListener = new("reason", "response_no_listener");

    private readonly ProxyIdentity identity;
    private readonly ITargetResolver resolver;
    private readonly ProxyCoreOptions options;
    private readonly SipMetrics metrics;
    private readonly ILogger logger;
    private readonly SipMessagePool messages = new();
    private readonly IRequestDispatcher? dispatcher;
    private readonly RequestTargets targets;
    private readonly DialogSequencer dialogs = new();
    private readonly BadInputLogLimiter badInputLog = BadInputLogLimiter.Default();
    private readonly ForwardedInvites invites;
    private readonly OverloadControl? overload;

    /// <param name="time">Ages the memory of where INVITEs went; the system clock when null.</param>
    /// <param name="overload">Refuses the excess before any work is done for it; null takes every message.</param>
    public StatelessProxy(ProxyIdentity identity, ITargetResolver resolver, ProxyCoreOptions options, SipMetrics metrics, ILogger<StatelessProxy> logger, TimeProvider? time = null, OverloadControl? overload = null)
    {
        this.overload = overload;
        this.identity = identity;
        this.resolver = resolver;
        this.options = options;
        this.metrics = metrics;
        this.logger = logger;
        targets = new RequestTargets(identity, options.NextHopHeader);
        invites = new ForwardedInvites(options.RememberedInvites, options.RememberInvitesFor, time ?? TimeProvider.System, metrics.InvitesForgotten);
    }

    /// <summary>The validation and stateless paths of a stateful proxy: requests that pass §16.3 and §16.4 go to <paramref name="dispatcher"/>.</summary>
    internal StatelessProxy(ProxyIdentity identity, ITargetResolver resolver, ProxyCoreOptions options, SipMetrics metrics, ILogger<StatelessProxy> logger, IRequestDispatcher dispatcher, TimeProvider time, OverloadControl? overload)
        : this(identity, resolver, options, metrics, logger, time, overload)
    {
        this.dispatcher = dispatcher;
    }

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        if (!AdmitsMessageFrom(source))
        {
            return;
        }

        var message = messages.Rent();
        try
        {
            var wellFormed = SipParser.TryParse(data, message, options.Limits);
            await HandleParsedAsync(message, wellFormed, source, transport, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            messages.Return(message);
        }
    }

    /// <summary>False for a source over its rate: its message is dropped before it is parsed, so a flood costs nothing to answer.</summary>
    internal bool AdmitsMessageFrom(IPEndPoint source) => overload?.AdmitsMessageFrom(source) ?? true;

    internal async ValueTask HandleParsedAsync(SipMessage message, bool wellFormed, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        if (message.Error == SipParseError.Empty)
        {
            return;
        }

        if (!message.IsRequest)
        {
            await HandleResponseAsync(message, wellFormed, source, transport, cancellationToken).ConfigureAwait(false);
        }
        else if (!wellFormed)
        {
            await RejectMalformedAsync(message, source, transport, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await HandleRequestAsync(message, source, transport, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask RejectMalformedAsync(SipMessage request, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        metrics.ParseErrors.Add(1, SipParseErrors.FaultTag(request.Error));
        if (badInputLog.ShouldLog(source.Address, SipLogEvents.MalformedRequest, (int)request.Error, out var suppressed))
        {
            LogMalformedRequest(logger, source, request.Error, suppressed);
        }

        if (request.Method == SipMethod.Ack || request.Vias.Count == 0)
        {
            // Nothing answers an ACK, and a response without Via cannot be matched by the sender.
            metrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "malformed_request_unanswerable"));
            return;
        }

        await AnswerAsync(request, SipParseErrors.StatusCode(request.Error), SipParseErrors.ReasonPhrase(request.Error), default, source, transport, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask HandleRequestAsync(SipMessage request, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        // RFC 6357 §3: the excess of new calls is refused first, before it costs a resolution or a transaction. Only
        // new INVITEs: an in-dialog request, an ACK or a CANCEL ends or carries a call already admitted.
        if (request.Method == SipMethod.Invite && !request.IsInDialog && overload is not null
            && !overload.AdmitsNewInvite(out var overloadReason, out var overloadRetryAfter))
        {
            await AnswerAsync(request, 503, overloadReason, overloadRetryAfter, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (HasProxyRequire(request, out var unsupported))
        {
            await AnswerAsync(request, 420, "Bad Extension", unsupported, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (IsLoop(request))
        {
            if (badInputLog.ShouldLog(source.Address, SipLogEvents.LoopDetected, 0, out var suppressed))
            {
                LogLoop(logger, source, suppressed);
            }

            await AnswerAsync(request, 482, "Loop Detected", default, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!targets.TryFindTarget(request, transport.Hop, out var ownRoutes, out var rewrite, out var target, out var targetIsRequestUri))
        {
            await AnswerAsync(request, targetIsRequestUri ? 416 : 400, targetIsRequestUri ? "Unsupported URI Scheme" : "Bad Request (malformed Route)", default, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        // RFC 5626 §5.3: a Route of ours with a flow token sends the request to that flow, not to what it names next.
        var flow = FlowRoute.Find(identity.Flows, request, ownRoutes, source, transport);
        if (flow.RefusalStatus != 0)
        {
            LogFlowRefused(logger, source, flow.RefusalStatus, flow.RefusalReason!);
            await AnswerAsync(request, flow.RefusalStatus, flow.RefusalReason!, default, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        target = flow.Target?.ToNextHop() ?? target;
        if (target is null && request.Method == SipMethod.Options && !TelUri.IsTel(request[request.RequestUri]))
        {
            var notServing = await resolver.WhyNotServingAsync(source, cancellationToken).ConfigureAwait(false);
            var retryAfter = notServing is null ? default : RetryAfterLine();
            await AnswerAsync(request, notServing is null ? 200 : 503, notServing ?? "OK", retryAfter, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.MaxForwards == 0)
        {
            await AnswerAsync(request, 483, "Too Many Hops", default, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!request.IsInDialog)
        {
            await RouteAsync(request, source, transport, target, ownRoutes, rewrite, flow.Target, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Nothing was awaited since the request arrived, so its place in the dialog's queue follows arrival order.
        var turn = dialogs.Enter(request);
        try
        {
            await turn.Previous.ConfigureAwait(false);
            await RouteAsync(request, source, transport, target, ownRoutes, rewrite, flow.Target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            dialogs.Leave(turn);
        }
    }

    /// <summary>Asks the resolver and forwards, or hands the request to the transaction layer, or answers why not.</summary>
    private async ValueTask RouteAsync(SipMessage request, IPEndPoint source, ISipTransport transport, NextHop? target, int ownRoutes, RouteRewrite rewrite, Flow? flow, CancellationToken cancellationToken)
    {
        var routing = targets.Describe(request, source, transport, target, rewrite, out var nextHopHeader);
        var route = new RequestRoute(source, transport, ownRoutes, nextHopHeader, rewrite, flow);
        if (dispatcher is not null && await dispatcher.TryDispatchAsync(request, routing, route, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        RouteDecision decision;
        ulong? loopHash = null;
        if (request.Method is SipMethod.Cancel or SipMethod.Ack && invites.TryRecall(request, out var remembered, out var inviteLoopHash))
        {
            // §16.11: where the INVITE went, whatever the resolver would say after a switchover, and with its branch.
            decision = remembered;
            loopHash = inviteLoopHash;
        }
        else
        {
            try
            {
                decision = await resolver.ResolveAsync(routing, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Stateless, so silence is the better answer: the sender retransmits after T1 and the retry is
                // likely routed, while a 503 would end the transaction for good.
                metrics.MessagesDropped.Add(1, DropRoutingTimedOut);
                LogResolverTimedOut(logger, source);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogResolverFailed(logger, ex, source);
                decision = RouteDecision.Reject(503, "Service Unavailable (routing failed)", options.RetryAfterSeconds);
            }
        }

        ISipTransport? outbound = null;
        ISipTransport? udpFallback = null;
        ForwardingPlan plan = default;
        if (decision.Destination is not null && !OutboundPlanner.TryPlan(identity, options, request, decision, route, out outbound, out plan, out udpFallback))
        {
            decision = RouteDecision.Reject(503, OutboundPlanner.NoListenerReason(decision), options.RetryAfterSeconds);
        }

        if (decision.Destination is null)
        {
            LogRejected(logger, source, decision.StatusCode, decision.ReasonPhrase);
            var extra = decision.RetryAfterSeconds > 0 ? RetryAfterLine(decision.RetryAfterSeconds) : default;
            await AnswerAsync(request, decision.StatusCode, decision.ReasonPhrase ?? "Not Found", extra, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Method == SipMethod.Invite)
        {
            loopHash = BranchGenerator.LoopHash(request);
        }

        var used = outbound!;
        var sent = await ForwardAsync(request, plan with { LoopHash = loopHash }, used, decision.Destination, cancellationToken).ConfigureAwait(false);

        // §18.1.1: a next hop that refuses the TCP a large request was moved to gets it over UDP, as it would have.
        if (!sent && udpFallback is not null)
        {
            used = udpFallback;
            var datagramPlan = OutboundPlanner.PlanFor(identity, options, request, route, udpFallback, overFlow: false);
            sent = await ForwardAsync(request, datagramPlan with { LoopHash = loopHash }, used, decision.Destination, cancellationToken).ConfigureAwait(false);
        }

        if (request.Method == SipMethod.Invite)
        {
            // Its CANCEL and non-2xx ACK take the same way, over the transport the INVITE left on.
            invites.Remember(request, decision.Destination, used.Hop.Transport, loopHash!.Value);
        }

        if (sent)
        {
            metrics.RequestsForwarded.Add(1);
        }
    }

    private static async ValueTask<bool> ForwardAsync(SipMessage request, ForwardingPlan plan, ISipTransport outbound, IPEndPoint destination, CancellationToken cancellationToken)
    {
        using var outgoing = RequestForwarder.Write(request, plan);
        return await outbound.SendAsync(outgoing.Memory, destination, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask HandleResponseAsync(SipMessage response, bool wellFormed, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        if (!wellFormed)
        {
            // RFC 3261 §16.7: a malformed response is dropped, never answered.
            metrics.ParseErrors.Add(1, SipParseErrors.FaultTag(response.Error));
            metrics.MessagesDropped.Add(1, DropMalformedResponse);
            if (badInputLog.ShouldLog(source.Address, SipLogEvents.MalformedResponseDropped, (int)response.Error, out var suppressed))
            {
                LogMalformedResponse(logger, source, response.Error, suppressed);
            }

            return;
        }

        if (!IsOurVia(response) || !ResponseForwarder.TryGetDestination(response, out var destination, out var viaTransport))
        {
            metrics.MessagesDropped.Add(1, DropResponseNotOurs);
            LogResponseNotOurs(logger, source);
            return;
        }

        // The response goes back over the transport the request came on, which its Via names (§18.2.2).
        if (identity.SelectTransport(transport, viaTransport, destination) is not { } outbound)
        {
            metrics.MessagesDropped.Add(1, DropResponseNoListener);
            LogResponseNotOurs(logger, source);
            return;
        }

        using var outgoing = ResponseForwarder.Write(response, outbound.Hop.Transport);
        if (await outbound.SendAsync(outgoing.Memory, destination, cancellationToken).ConfigureAwait(false))
        {
            metrics.ResponsesForwarded.Add(1);
        }
    }

    private async ValueTask AnswerAsync(SipMessage request, int statusCode, string reasonPhrase, ReadOnlyMemory<byte> extraHeaders, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        if (request.Method == SipMethod.Ack)
        {
            metrics.MessagesDropped.Add(1, DropAck);
            return;
        }

        // A malformed request's Via may be the very fault, so its answer goes back where the request came from.
        var destination = request.Error == SipParseError.None ? ResponseDestination.Of(request, source, transport.Hop.Transport) : source;
        using var response = ResponseFactory.Create(request, options.Product, statusCode, reasonPhrase, extraHeaders.Span);
        if (await transport.SendAsync(response.Memory, destination, cancellationToken).ConfigureAwait(false))
        {
            metrics.RequestsAnswered.Add(1, new KeyValuePair<string, object?>("status", statusCode));
        }
    }

    private ReadOnlyMemory<byte> RetryAfterLine(int seconds = 0) =>
        Encoding.ASCII.GetBytes($"Retry-After: {(seconds > 0 ? seconds : options.RetryAfterSeconds)}\r\n");

    private static bool HasProxyRequire(SipMessage request, out ReadOnlyMemory<byte> unsupportedLines)
    {
        unsupportedLines = default;
        StringBuilder? lines = null;
        foreach (var header in request.Headers)
        {
            if (header.Kind == HeaderKind.ProxyRequire && header.Value.Length > 0)
            {
                lines ??= new StringBuilder();
                lines.Append("Unsupported: ").Append(Encoding.ASCII.GetString(request[header.Value])).Append("\r\n");
            }
        }

        if (lines is null)
        {
            return false;
        }

        unsupportedLines = Encoding.ASCII.GetBytes(lines.ToString());
        return true;
    }

    private bool IsLoop(SipMessage request)
    {
        var span = request.Span;

        // By index: foreach over the IReadOnlyList would allocate an enumerator for every request.
        var vias = request.Vias;
        for (var i = 0; i < vias.Count; i++)
        {
            var text = vias[i].Value.Of(span);
            if (Via.TryParse(text, out var via) && identity.IsOwnSentBy(text[via.Host.Start..PortEnd(text, via)])
                && via.TryGetParameter(text, "branch"u8, out var branch) && BranchGenerator.IsLoop(request, text[branch]))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsOurVia(SipMessage response)
    {
        var text = response[response.Vias[0].Value];
        return Via.TryParse(text, out var via)
            && identity.IsOwnSentBy(text[via.Host.Start..PortEnd(text, via)])
            && via.TryGetParameter(text, "branch"u8, out var branch)
            && BranchGenerator.IsOwnBranch(text[branch]);
    }

    // sent-by runs from the host to the end of the port, or to the first parameter when there is no port.
    private static int PortEnd(ReadOnlySpan<byte> text, Via via)
    {
        var end = via.Host.End.Value;
        if (via.Port != 0)
        {
            end = text[end..].IndexOf((byte)':') + end + 1;
            while (end < text.Length && (uint)(text[end] - '0') <= 9)
            {
                end++;
            }
        }

        return end;
    }

    [LoggerMessage(EventId = SipLogEvents.MalformedRequest, Level = LogLevel.Information, Message = "Malformed request from {Source}: {Fault} ({Suppressed} more like it from this address not logged since the last line)")]
    private static partial void LogMalformedRequest(ILogger logger, IPEndPoint source, SipParseError fault, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.MalformedResponseDropped, Level = LogLevel.Information, Message = "Malformed response from {Source} dropped: {Fault} ({Suppressed} more like it from this address not logged since the last line)")]
    private static partial void LogMalformedResponse(ILogger logger, IPEndPoint source, SipParseError fault, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.ResponseNotOursDropped, Level = LogLevel.Debug, Message = "Response from {Source} dropped: its top Via is not ours or the next Via has no address")]
    private static partial void LogResponseNotOurs(ILogger logger, IPEndPoint source);

    [LoggerMessage(EventId = SipLogEvents.RequestRejected, Level = LogLevel.Debug, Message = "Request from {Source} answered {Status} {Reason}")]
    private static partial void LogRejected(ILogger logger, IPEndPoint source, int status, string? reason);

    [LoggerMessage(EventId = SipLogEvents.FlowRefused, Level = LogLevel.Information, Message = "Request from {Source} names a flow of this proxy by its token: answered {Status} {Reason}")]
    private static partial void LogFlowRefused(ILogger logger, IPEndPoint source, int status, string reason);

    [LoggerMessage(EventId = SipLogEvents.LoopDetected, Level = LogLevel.Warning, Message = "Loop detected for a request from {Source} ({Suppressed} more from this address not logged since the last line)")]
    private static partial void LogLoop(ILogger logger, IPEndPoint source, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.ResolverTimedOut, Level = LogLevel.Warning, Message = "Target resolution timed out for a request from {Source}; dropped, the sender's retransmission will be routed")]
    private static partial void LogResolverTimedOut(ILogger logger, IPEndPoint source);

    [LoggerMessage(EventId = SipLogEvents.ResolverFailed, Level = LogLevel.Error, Message = "Target resolution failed for a request from {Source}; answered 503")]
    private static partial void LogResolverFailed(ILogger logger, Exception exception, IPEndPoint source);
}
