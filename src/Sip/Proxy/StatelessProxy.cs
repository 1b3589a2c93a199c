using System.Net;
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
public sealed partial class StatelessProxy : ISipMessageHandler, IFramingFaultHandler
{
    private static readonly KeyValuePair<string, object?> DropMalformedResponse = new("reason", "malformed_response");
    private static readonly KeyValuePair<string, object?> DropMalformedUnanswerable = new("reason", "malformed_request_unanswerable");
    private static readonly KeyValuePair<string, object?> DropAck = new("reason", "ack_not_forwarded");
    private static readonly KeyValuePair<string, object?> DropAckOfLocalAnswer = new("reason", "ack_of_local_answer");
    private static readonly KeyValuePair<string, object?> DropRoutingTimedOut = new("reason", "routing_timed_out");

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
    private readonly RequestValidator validator;

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
        validator = new RequestValidator(identity);
        Responses = new ResponseRouter(identity, metrics);
        Answers = new LocalAnswers(options.Product, options.RetryAfterSeconds, metrics, logger);
        invites = new ForwardedInvites(options.RememberedInvites, options.RememberInvitesFor, time ?? TimeProvider.System, metrics.InvitesForgotten);
    }

    /// <summary>The validation and stateless paths of a stateful proxy: requests that pass §16.3 and §16.4 go to <paramref name="dispatcher"/>.</summary>
    internal StatelessProxy(ProxyIdentity identity, ITargetResolver resolver, ProxyCoreOptions options, SipMetrics metrics, ILogger<StatelessProxy> logger, IRequestDispatcher dispatcher, TimeProvider time, OverloadControl? overload)
        : this(identity, resolver, options, metrics, logger, time, overload)
    {
        this.dispatcher = dispatcher;
    }

    /// <summary>§16.7 for the stateful core too: where responses go back along Via.</summary>
    internal ResponseRouter Responses { get; }

    /// <summary>The proxy's own answers, for the stateful core too.</summary>
    internal LocalAnswers Answers { get; }

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

    /// <summary>
    /// A stream whose bytes cannot be framed: the request at its start, if it parses far enough to carry a Via, is
    /// told the fault before the transport closes the connection (RFC 3261 §18.3: the message boundaries are lost).
    /// </summary>
    public async ValueTask OnFramingFaultAsync(ReadOnlyMemory<byte> head, SipParseError fault, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        var request = messages.Rent();
        try
        {
            SipParser.TryParse(head, request, options.Limits);
            await RejectMalformedAsync(request, fault, source, transport, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            messages.Return(request);
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
            await RejectMalformedAsync(message, message.Error, source, transport, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await HandleRequestAsync(message, source, transport, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="fault">What is wrong: the parser's finding, or the framer's for a stream.</param>
    private async ValueTask RejectMalformedAsync(SipMessage request, SipParseError fault, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        metrics.ParseErrors.Add(1, SipParseErrors.FaultTag(fault));
        if (badInputLog.ShouldLog(source.Address, SipLogEvents.MalformedRequest, (int)fault, out var suppressed))
        {
            LogMalformedRequest(logger, source, fault, suppressed);
        }

        if (!request.IsRequest || request.Method == SipMethod.Ack || request.Vias.Count == 0)
        {
            // Nothing answers an ACK or a response, and a response without Via cannot be matched by the sender.
            metrics.MessagesDropped.Add(1, DropMalformedUnanswerable);
            return;
        }

        // Its Via may be the very fault, so the answer goes back where the request came from.
        await Answers.AnswerAsync(request, SipParseErrors.StatusCode(fault), SipParseErrors.ReasonPhrase(fault), default, transport, source, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask HandleRequestAsync(SipMessage request, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        // The ACK of a refusal we answered ourselves (§17.1.1.3: it carries our To tag): no server saw its INVITE,
        // and under overload there is one for every INVITE refused.
        if (request.Method == SipMethod.Ack && Answers.Tag.IsOn(request))
        {
            metrics.MessagesDropped.Add(1, DropAckOfLocalAnswer);
            return;
        }

        // RFC 6357 §3: the excess of new calls is refused first, before it costs a resolution or a transaction. Only
        // new INVITEs: an in-dialog request, an ACK or a CANCEL ends or carries a call already admitted.
        if (request.Method == SipMethod.Invite && !request.IsInDialog && overload is not null
            && !overload.AdmitsNewInvite(out var overloadReason, out var overloadRetryAfter))
        {
            await AnswerAsync(request, 503, overloadReason, overloadRetryAfter, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (validator.TryRefuse(request, out var refusal, out var refusalReason, out var refusalHeaders))
        {
            if (refusal == 482 && badInputLog.ShouldLog(source.Address, SipLogEvents.LoopDetected, 0, out var suppressed))
            {
                LogLoop(logger, source, suppressed);
            }

            await AnswerAsync(request, refusal, refusalReason, refusalHeaders, source, transport, cancellationToken).ConfigureAwait(false);
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
            var retryAfter = notServing is null ? default : Answers.RetryAfter();
            await AnswerAsync(request, notServing is null ? 200 : 503, notServing ?? "OK", retryAfter, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (RequestValidator.HasNoHopsLeft(request))
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
                decision = Answers.RoutingFailed(ex, source);
            }
        }

        if (!OutboundPlanner.TryPlan(identity, options, request, ref decision, route, out var outbound, out var plan, out var udpFallback))
        {
            var extra = Answers.Refusal(decision, source, out var reason);
            await AnswerAsync(request, decision.StatusCode, reason, extra, source, transport, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Method == SipMethod.Invite)
        {
            loopHash = BranchGenerator.LoopHash(request);
        }

        var used = outbound;
        var sent = await ForwardAsync(request, plan with { LoopHash = loopHash }, used, decision.Destination!, cancellationToken).ConfigureAwait(false);

        // §18.1.1: a next hop that refuses the TCP a large request was moved to gets it over UDP, as it would have.
        if (!sent && udpFallback is not null)
        {
            used = udpFallback;
            var datagramPlan = OutboundPlanner.PlanFor(identity, options, request, route, udpFallback, overFlow: false);
            sent = await ForwardAsync(request, datagramPlan with { LoopHash = loopHash }, used, decision.Destination!, cancellationToken).ConfigureAwait(false);
        }

        if (request.Method == SipMethod.Invite)
        {
            // Its CANCEL and non-2xx ACK take the same way, over the transport the INVITE left on.
            invites.Remember(request, decision.Destination!, used.Hop.Transport, loopHash!.Value);
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

        if (!Responses.TryRoute(response, transport, out var outbound, out var destination, out var dropReason))
        {
            metrics.MessagesDropped.Add(1, dropReason);
            LogResponseNotOurs(logger, source);
            return;
        }

        await Responses.ForwardAsync(response, outbound, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a well-formed request where its responses go (§18.2.2); an ACK is never answered.</summary>
    private async ValueTask AnswerAsync(SipMessage request, int statusCode, string reasonPhrase, ReadOnlyMemory<byte> extraHeaders, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        if (request.Method == SipMethod.Ack)
        {
            metrics.MessagesDropped.Add(1, DropAck);
            return;
        }

        var destination = ResponseDestination.Of(request, source, transport.Hop.Transport);
        await Answers.AnswerAsync(request, statusCode, reasonPhrase, extraHeaders, transport, destination, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = SipLogEvents.MalformedRequest, Level = LogLevel.Information, Message = "Malformed request from {Source}: {Fault} ({Suppressed} more like it from this address not logged since the last line)")]
    private static partial void LogMalformedRequest(ILogger logger, IPEndPoint source, SipParseError fault, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.MalformedResponseDropped, Level = LogLevel.Information, Message = "Malformed response from {Source} dropped: {Fault} ({Suppressed} more like it from this address not logged since the last line)")]
    private static partial void LogMalformedResponse(ILogger logger, IPEndPoint source, SipParseError fault, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.ResponseNotOursDropped, Level = LogLevel.Debug, Message = "Response from {Source} dropped: its top Via is not ours or the next Via has no address")]
    private static partial void LogResponseNotOurs(ILogger logger, IPEndPoint source);

    [LoggerMessage(EventId = SipLogEvents.FlowRefused, Level = LogLevel.Information, Message = "Request from {Source} names a flow of this proxy by its token: answered {Status} {Reason}")]
    private static partial void LogFlowRefused(ILogger logger, IPEndPoint source, int status, string reason);

    [LoggerMessage(EventId = SipLogEvents.LoopDetected, Level = LogLevel.Warning, Message = "Loop detected for a request from {Source} ({Suppressed} more from this address not logged since the last line)")]
    private static partial void LogLoop(ILogger logger, IPEndPoint source, long suppressed);

    [LoggerMessage(EventId = SipLogEvents.ResolverTimedOut, Level = LogLevel.Warning, Message = "Target resolution timed out for a request from {Source}; dropped, the sender's retransmission will be routed")]
    private static partial void LogResolverTimedOut(ILogger logger, IPEndPoint source);
}
