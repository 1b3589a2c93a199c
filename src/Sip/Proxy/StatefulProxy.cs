using System.Net;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// The RFC 3261 §16 transaction-stateful proxy: a server transaction per request (100 Trying for INVITE at
/// once, retransmissions absorbed and answered with the last response), a client transaction per next hop,
/// CANCEL answered hop by hop and passed on (§16.10), non-2xx ACK absorbed and 2xx ACK forwarded end to end.
/// A next hop that stays silent, answers 503 or cannot be reached is reported to the resolver and the
/// transaction is retried once on the member it names (DESIGN.md rule 3). Validation and every message that
/// matches no transaction take the stateless path.
/// </summary>
public sealed partial class StatefulProxy : ISipMessageHandler, IFramingFaultHandler, IRequestDispatcher
{
    private static readonly KeyValuePair<string, object?> TableFullTag = new("reason", "transaction_table_full");
    private static readonly KeyValuePair<string, object?> LateResponseTag = new("reason", "late_response_to_abandoned_invite");

    private readonly StatelessProxy stateless;
    private readonly ProxyIdentity identity;
    private readonly SipMessagePool messages = new();
    private bool stopped;
    private int unanswered;

    /// <param name="overload">Refuses the excess before any transaction exists; null takes every message.</param>
    public StatefulProxy(ProxyIdentity identity, ITargetResolver resolver, StatefulProxyOptions options, SipMetrics metrics, TimeProvider time, ILoggerFactory loggerFactory, OverloadControl? overload = null)
    {
        this.identity = identity;
        Resolver = resolver;
        Options = options;
        Metrics = metrics;
        Logger = loggerFactory.CreateLogger<StatefulProxy>();
        Table = new TransactionTable(options.MaxTransactions, time, options.MaxLingerBytes, metrics);
        stateless = new StatelessProxy(identity, resolver, options.Core, metrics, loggerFactory.CreateLogger<StatelessProxy>(), this, time, overload);
    }

    public TransactionTable Table { get; }

    /// <summary>True once <see cref="Stop"/> was called: pending timers then do nothing.</summary>
    public bool IsStopped => Volatile.Read(ref stopped);

    /// <summary>
    /// Requests forwarded whose caller has no final response yet: a node that stops now loses those answers
    /// (they come back through this node's Via), so a draining node waits for this to reach zero.
    /// </summary>
    public int UnansweredTransactions => Volatile.Read(ref unanswered);

    internal ITargetResolver Resolver { get; }

    internal StatefulProxyOptions Options { get; }

    internal SipMetrics Metrics { get; }

    internal ILogger Logger { get; }

    internal ResponseRouter Responses => stateless.Responses;

    internal LocalAnswers Answers => stateless.Answers;

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        if (!stateless.AdmitsMessageFrom(source))
        {
            return;
        }

        var message = messages.Rent();
        try
        {
            var wellFormed = SipParser.TryParse(data, message, Options.Core.Limits);
            if (!wellFormed || !await TryHandleInTransactionAsync(message, cancellationToken).ConfigureAwait(false))
            {
                await stateless.HandleParsedAsync(message, wellFormed, source, transport, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            messages.Return(message);
        }
    }

    /// <summary>A stream that cannot be framed is answered as the stateless core answers it: no transaction can hold it.</summary>
    public ValueTask OnFramingFaultAsync(ReadOnlyMemory<byte> head, SipParseError fault, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken) =>
        stateless.OnFramingFaultAsync(head, fault, source, transport, cancellationToken);

    async ValueTask<bool> IRequestDispatcher.TryDispatchAsync(SipMessage request, RoutingRequest routing, RequestRoute route, CancellationToken cancellationToken)
    {
        if (request.Method is SipMethod.Ack or SipMethod.Cancel || !TransactionKey.TryForServer(request, out var key))
        {
            return false;
        }

        var (source, transport) = (route.Source, route.Inbound);
        var isInvite = request.Method == SipMethod.Invite;
        var server = new ServerTransaction(key, isInvite, ResponseDestination.Of(request, source, transport.Hop.Transport), transport, Table, Options.Timers);
        switch (Table.TryAdd(server, out var existing))
        {
            case TableInsert.Exists:
                await existing!.OnRetransmissionAsync(cancellationToken).ConfigureAwait(false);
                return true;
            case TableInsert.Full:
                await RejectTableFullAsync(request, source, transport, cancellationToken).ConfigureAwait(false);
                return true;
        }

        if (isInvite)
        {
            // §16.2: a stateful proxy answers an INVITE with 100 at once, so the caller stops retransmitting
            // while we wait for the resolver and the next hop.
            await Answers.AnswerAsync(request, 100, "Trying", default, server, cancellationToken).ConfigureAwait(false);
        }

        var decision = await ResolveAsync(routing, cancellationToken).ConfigureAwait(false);
        if (!OutboundPlanner.TryPlan(identity, Options.Core, request, ref decision, route, out var outbound, out var plan, out var udpFallback))
        {
            var extra = Answers.Refusal(decision, source, out var reason);
            await Answers.AnswerAsync(request, decision.StatusCode, reason, extra, server, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var outgoing = TransactionRequestWriter.Write(request, plan);

        // Written now, while the request's bytes are ours: a refused connection may come on any attempt.
        var datagram = udpFallback is null
            ? null
            : new DatagramFallback(udpFallback, TransactionRequestWriter.Write(request, OutboundPlanner.PlanFor(identity, Options.Core, request, route, udpFallback, overFlow: false)));
        var proxied = new ProxiedTransaction(this, server, outgoing, outbound, datagram);
        await proxied.StartAsync(decision.Destination!, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A stream transport lost its connection to <paramref name="remote"/>: transactions sent over it fail at once and
    /// are retried on the other member, as a send failure would be (a killed server's TCP connection closes).
    /// </summary>
    public void OnConnectionLost(ISipTransport transport, IPEndPoint remote) => Table.FailClientsTo(transport, remote);

    /// <summary>
    /// <paramref name="hop"/> was found down: transactions waiting on it are retried on the other member now. Over UDP
    /// nothing else tells a server that died after its 180 Ringing from one that is still ringing.
    /// </summary>
    public void OnHopDown(IPEndPoint hop) => Table.FailClientsToDownHop(hop);

    /// <summary>
    /// Ends every transaction once the listeners are closed, so no timer retransmits into a closed socket or
    /// reports a failure to a silo that is shutting down.
    /// </summary>
    public void Stop()
    {
        Volatile.Write(ref stopped, true);
        Table.TerminateAll();
    }

    internal void OnForwarding() => Interlocked.Increment(ref unanswered);

    internal void OnAnswered() => Interlocked.Decrement(ref unanswered);

    private async ValueTask<bool> TryHandleInTransactionAsync(SipMessage message, CancellationToken cancellationToken)
    {
        if (!message.IsRequest)
        {
            if (!TransactionKey.TryForResponse(message, out var clientKey))
            {
                return false;
            }

            if (Table.TryGetClient(clientKey, out var client))
            {
                await client!.OnResponseAsync(message, cancellationToken).ConfigureAwait(false);
                return true;
            }

            return DropsLateInviteResponse(message);
        }

        if (message.Method == SipMethod.Cancel)
        {
            if (!TransactionKey.TryForCancelledInvite(message, out var inviteKey) || !Table.TryGet(inviteKey, out var invite))
            {
                // §16.10: a CANCEL that matches no transaction is forwarded statelessly.
                return false;
            }

            // Answered hop by hop at once; the INVITE's own final response (487) follows from the next hop.
            await Answers.AnswerAsync(message, 200, "OK", default, invite!.Transport, invite.ResponseDestination, cancellationToken).ConfigureAwait(false);
            if (invite.Cancel() is { } user)
            {
                await user.CancelAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        if (!TransactionKey.TryForServer(message, out var key) || !Table.TryGet(key, out var server))
        {
            return false;
        }

        if (message.Method == SipMethod.Ack)
        {
            return server!.OnAck();
        }

        await server!.OnRetransmissionAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A member that stayed silent past the failover time-out may still answer an INVITE we moved elsewhere:
    /// its provisional or failure response would reach a caller whose call the other member is handling, so
    /// it stops here. Its 2xx goes on (statelessly): that dialog exists now, and only the caller can end it.
    /// </summary>
    private bool DropsLateInviteResponse(SipMessage response)
    {
        if (response.CSeqMethod != SipMethod.Invite || response.StatusCode is >= 200 and < 300)
        {
            return false;
        }

        Metrics.MessagesDropped.Add(1, LateResponseTag);
        return true;
    }

    /// <remarks>
    /// A resolution that times out is tried once more: the caller already has its 100 Trying, and over TCP it will
    /// not retransmit, so a second try beats a 503 when the node is only briefly overloaded.
    /// </remarks>
    private async ValueTask<RouteDecision> ResolveAsync(RoutingRequest routing, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await Resolver.ResolveAsync(routing, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogResolverRetried(Logger, routing.Source);
                return await Resolver.ResolveAsync(routing, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Answers.RoutingFailed(ex, routing.Source);
        }
    }

    private async ValueTask RejectTableFullAsync(SipMessage request, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        Metrics.TransactionsRejected.Add(1, TableFullTag);
        LogTableFull(Logger, Table.Capacity, source);
        await Answers.AnswerAsync(request, 503, "Service Unavailable (transaction table full)", Answers.RetryAfter(), transport, ResponseDestination.Of(request, source, transport.Hop.Transport), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = SipLogEvents.TransactionTableFull, Level = LogLevel.Warning, Message = "Transaction table full ({Capacity} transactions): request from {Source} answered 503")]
    private static partial void LogTableFull(ILogger logger, int capacity, IPEndPoint source);

    [LoggerMessage(EventId = SipLogEvents.ResolverRetried, Level = LogLevel.Warning, Message = "Target resolution timed out for a request from {Source}; trying once more")]
    private static partial void LogResolverRetried(ILogger logger, IPEndPoint source);
}
