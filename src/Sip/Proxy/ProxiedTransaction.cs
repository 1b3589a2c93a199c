using System.Net;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Timing;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// The response context of one proxied request (§16.7): links the server transaction to the client transaction
/// of the current attempt, forwards provisional and final responses, and drives transaction-level failover. An
/// attempt that stays silent for the failover time-out is only a hint to the resolver: it keeps its RFC 3261
/// retransmissions, so one lost datagram never fails a call. An attempt that cannot be answered from its hop (503,
/// a failed send, a broken connection, the hop found down) is retried once where the resolver says. A branch left
/// behind that way still gets its CANCEL, its ACK and, should it answer 2xx, a caller who hears of it (RFC 6026).
/// When no attempt succeeds the caller gets 408 or 503 with Retry-After, never silence. Timer C bounds an INVITE
/// after its first provisional.
/// </summary>
internal sealed partial class ProxiedTransaction : IClientTransactionUser, IServerTransactionUser, IWheelTimerOwner
{
    private const int MaxAttempts = 2;

    // Which timer fell due: the failover time-out of a silent attempt, or Timer C.
    private const int WatchdogTimer = 0;
    private const int TimerCTimer = 1;

    private static readonly KeyValuePair<string, object?> NonInviteTimedOutTag = new("reason", "non_invite_timed_out");

    private readonly Lock gate = new();
    private readonly StatefulProxy proxy;
    private readonly ServerTransaction server;
    private readonly IPEndPoint?[] tried = new IPEndPoint?[MaxAttempts];

    // Branches left behind when their hop was found down, by attempt: they may still answer.
    private readonly ClientTransaction?[] left = new ClientTransaction?[MaxAttempts];
    private readonly bool[] leftCancelSent = new bool[MaxAttempts];

    // The request as the next attempt sends it, and the listener it leaves from: UDP once a refused connection took the fallback.
    private byte[] template;
    private ISipTransport outbound;
    private DatagramFallback? datagramFallback;
    private ClientTransaction? current;
    private ClientTransaction? lastFailed;
    private WheelTimer watchdog;
    private WheelTimer timerC;
    private bool timerCFired;
    private int attempts;
    private bool onlyTimeouts = true;
    private bool hopAnswered503;
    private bool cancelled;
    private bool cancelSent;
    private bool finished;

    /// <param name="outbound">The listener every attempt leaves from: members of one pair share a transport and address family.</param>
    /// <param name="datagramFallback">The request written for UDP when it was moved to TCP for its size: from the first
    /// refused connection on, every attempt leaves that way instead.</param>
    public ProxiedTransaction(StatefulProxy proxy, ServerTransaction server, byte[] request, ISipTransport outbound, DatagramFallback? datagramFallback = null)
    {
        this.outbound = outbound;
        this.datagramFallback = datagramFallback;
        this.proxy = proxy;
        this.server = server;
        template = request;
    }

    public IAcceptedRelay AcceptedRelay => new UpstreamSuccessRelay(server.Transport, server.ResponseDestination, proxy.Responses);

    public async ValueTask StartAsync(IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (!server.TryAttach(this))
        {
            cancelled = true;
            await AnswerAsync(template, 487, "Request Terminated", default, cancellationToken).ConfigureAwait(false);
            return;
        }

        proxy.OnForwarding();
        await AttemptAsync(destination, template, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask OnResponseAsync(ClientTransaction transaction, SipMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        bool sendCancel;
        int branch;
        lock (gate)
        {
            // Checked before the current attempt: a branch left behind stays current while the resolver finds its successor.
            branch = LeftIndex(transaction);
            if (branch < 0 && transaction != current)
            {
                return;
            }

            sendCancel = branch >= 0 && status is > 100 and < 200 && !leftCancelSent[branch];
            if (sendCancel)
            {
                leftCancelSent[branch] = true;
            }
        }

        if (branch >= 0)
        {
            await OnLeftBranchResponseAsync(transaction, response, sendCancel, cancellationToken).ConfigureAwait(false);
            return;
        }

        lock (gate)
        {
            DisarmWatchdog();

            // §16.7 step 2: only a provisional other than 100 shows the branch is alive at its far end.
            if (status is > 100 and < 200 && server.IsInvite && !finished && !timerCFired)
            {
                ArmTimerC(proxy.Options.Timers.TimerC);
            }

            sendCancel = cancelled && !cancelSent && transaction.HasProvisional && status < 200;
            cancelSent |= sendCancel;
        }

        if (sendCancel)
        {
            await SendCancelAsync(transaction, cancellationToken).ConfigureAwait(false);
        }

        if (status == 100)
        {
            return;
        }

        if (status == 503 && !IsCancelled())
        {
            await FailAsync(transaction, TransactionFailure.ServiceUnavailable, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (status >= 200)
        {
            lock (gate)
            {
                MarkFinished();
            }
        }

        // A 2xx after our own final (Timer C's 408 crossing the callee's answer) still reaches the caller.
        await proxy.Responses.ForwardAsync(response, server, cancellationToken).ConfigureAwait(false);
    }

    public void OnTimeout(ClientTransaction transaction)
    {
        lock (gate)
        {
            if (transaction != current || LeftIndex(transaction) >= 0 || finished || proxy.IsStopped)
            {
                return;
            }
        }

        if (!transaction.HasResponse)
        {
            Hint(transaction.Destination, TransactionFailure.TimedOut);
        }

        // Timer B or F after a provisional response: the hop holds the transaction, so it is not retried elsewhere.
        Run(this, static (self, token) => self.FinishAsync(token));
    }

    public void OnTransportError(ClientTransaction transaction)
    {
        lock (gate)
        {
            if (transaction != current || LeftIndex(transaction) >= 0 || finished || proxy.IsStopped)
            {
                return;
            }
        }

        // The hop cannot answer over a broken connection, even after a provisional: the attempt fails as a send would.
        Run(this, (self, token) => self.FailAsync(transaction, TransactionFailure.SendFailed, token));
    }

    public void OnHopDown(ClientTransaction transaction)
    {
        bool cancelBranch;
        lock (gate)
        {
            if (transaction != current || finished || proxy.IsStopped)
            {
                return;
            }

            cancelBranch = server.IsInvite && transaction.HasProvisional && !cancelSent;
            if (server.IsInvite)
            {
                var branch = attempts - 1;
                left[branch] = transaction;
                leftCancelSent[branch] = cancelBranch;
            }
        }

        // Probes can miss a server that is alive: the CANCEL stops its branch, so the call rings on one member only.
        Run(this, async (self, token) =>
        {
            if (cancelBranch)
            {
                await self.SendCancelAsync(transaction, token).ConfigureAwait(false);
            }

            await self.FailAsync(transaction, TransactionFailure.HopDown, token).ConfigureAwait(false);
        });
    }

    public async ValueTask CancelAsync(CancellationToken cancellationToken)
    {
        ClientTransaction? target;
        lock (gate)
        {
            cancelled = true;
            target = current is { HasProvisional: true } && !cancelSent && !finished ? current : null;
            cancelSent |= target is not null;
        }

        // Without a provisional response the CANCEL waits (§9.1): it goes out with the first one.
        if (target is not null)
        {
            await SendCancelAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask AttemptAsync(IPEndPoint destination, byte[] request, CancellationToken cancellationToken)
    {
        var client = NewClient(destination, request, outbound);
        lock (gate)
        {
            current = client;
            tried[attempts++] = destination;
            ArmWatchdog();

            // §16.6 step 11: Timer C runs from the moment the INVITE is proxied.
            if (server.IsInvite && !timerCFired)
            {
                ArmTimerC(proxy.Options.Timers.TimerC);
            }
        }

        var sent = await client.StartAsync(cancellationToken).ConfigureAwait(false);

        // §18.1.1: a next hop that refuses the TCP a large request was moved to gets it over UDP. The refusal says
        // nothing of the hop's health, so it is neither a failure nor a hint: this attempt goes on, on UDP.
        if (!sent && TakeDatagramFallback() is { } fallback)
        {
            client = NewClient(destination, fallback.Request, fallback.Transport);
            lock (gate)
            {
                current = client;
                ArmWatchdog();
            }

            sent = await client.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (sent)
        {
            proxy.Metrics.RequestsForwarded.Add(1);
            return;
        }

        await FailAsync(client, TransactionFailure.SendFailed, cancellationToken).ConfigureAwait(false);
    }

    private ClientTransaction NewClient(IPEndPoint destination, byte[] request, ISipTransport transport)
    {
        var key = TransactionKey.ForClient(TransactionRequestWriter.BranchOf(request, transport.Hop), MethodOf(request));
        return new ClientTransaction(key, server.IsInvite, request, destination, transport, proxy.Table, proxy.Options.Timers, this);
    }

    /// <summary>Moves this transaction to UDP for good (its retries too); null when it has no UDP way or took it already.</summary>
    private DatagramFallback? TakeDatagramFallback()
    {
        lock (gate)
        {
            if (datagramFallback is not { } fallback || finished)
            {
                return null;
            }

            datagramFallback = null;
            outbound = fallback.Transport;
            template = fallback.Request;
            return fallback;
        }
    }

    /// <summary>Call under the gate.</summary>
    private void ArmWatchdog()
    {
        DisarmWatchdog();
        watchdog = proxy.Table.Wheel.Arm(this, WatchdogTimer, proxy.Options.NoResponseTimeout);
    }

    private void OnNoResponse()
    {
        IPEndPoint silent;
        lock (gate)
        {
            if (current is null || current.HasResponse || finished || proxy.IsStopped)
            {
                return;
            }

            silent = current.Destination;
        }

        // A hint, not a failure: the request keeps its retransmissions, and moves only if the hop is found down.
        Hint(silent, TransactionFailure.NoResponse);
    }

    private void Hint(IPEndPoint hop, TransactionFailure hint)
    {
        try
        {
            proxy.Resolver.ReportHint(hop, hint);
        }
        catch (Exception ex)
        {
            LogCallbackFailed(proxy.Logger, ex);
        }
    }

    /// <summary>
    /// A branch this transaction moved away from answered after all: what still rings is CANCELed, a non-2xx final
    /// was ACKed by the client transaction, and a 2xx goes to the caller, since that dialog now exists (RFC 6026 §7.2);
    /// the attempt that replaced it is then CANCELed (§16.7 step 10), at once or with its first provisional.
    /// </summary>
    private async ValueTask OnLeftBranchResponseAsync(ClientTransaction branch, SipMessage response, bool sendCancel, CancellationToken cancellationToken)
    {
        if (sendCancel)
        {
            await SendCancelAsync(branch, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (response.StatusCode is < 200 or >= 300)
        {
            return;
        }

        ClientTransaction? replacement;
        lock (gate)
        {
            MarkFinished();
            cancelled = true;
            replacement = current is { HasProvisional: true } && current != branch && LeftIndex(current) < 0 && !cancelSent ? current : null;
            cancelSent |= replacement is not null;
        }

        await proxy.Responses.ForwardAsync(response, server, cancellationToken).ConfigureAwait(false);

        if (replacement is not null)
        {
            await SendCancelAsync(replacement, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Call under the gate.</summary>
    private int LeftIndex(ClientTransaction transaction) => Array.IndexOf(left, transaction);

    /// <summary>
    /// §16.8: Timer C fired. A branch that rang gets a CANCEL, and its final answer (487, or a 2xx that crossed
    /// the CANCEL) goes to the caller as any final would; only if none comes within a transaction time-out does the
    /// caller get 408. A branch that never rang is treated as if it had answered 408.
    /// </summary>
    private void OnTimerC()
    {
        ClientTransaction? target = null;
        bool finishNow;
        lock (gate)
        {
            if (finished || current is null || proxy.IsStopped)
            {
                return;
            }

            if (timerCFired)
            {
                finishNow = true;
            }
            else
            {
                timerCFired = true;
                target = current.HasProvisional && !cancelSent ? current : null;
                cancelSent |= target is not null;
                finishNow = !current.HasProvisional;
                if (!finishNow)
                {
                    ArmTimerC(proxy.Options.Timers.TransactionTimeout);
                }
            }
        }

        Run(this, async (self, token) =>
        {
            if (target is not null)
            {
                await self.SendCancelAsync(target, token).ConfigureAwait(false);
            }

            if (finishNow)
            {
                await self.FinishAsync(token).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Call under the gate.</summary>
    private void ArmTimerC(TimeSpan due)
    {
        proxy.Table.Wheel.Rearm(ref timerC, this, TimerCTimer, due);
    }

    private async ValueTask FailAsync(ClientTransaction failed, TransactionFailure failure, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // A broken connection can report the same attempt twice: from the send and from the transport.
            if (failed != current || finished || ReferenceEquals(failed, lastFailed))
            {
                return;
            }

            lastFailed = failed;
            onlyTimeouts = false;
            hopAnswered503 |= failure == TransactionFailure.ServiceUnavailable;
            DisarmWatchdog();
        }

        var next = await ReportAsync(failed.Destination, failure, cancellationToken).ConfigureAwait(false);
        var alternate = next.Destination;
        byte[]? retry = null;
        lock (gate)
        {
            // The branch left behind may have answered 2xx while the resolver looked for its successor.
            if (finished)
            {
                return;
            }

            if (alternate is not null && !cancelled && attempts < MaxAttempts && !WasTried(alternate))
            {
                retry = (byte[])template.Clone();
                UniqueBranch.Renew(TransactionRequestWriter.BranchOf(retry, outbound.Hop));
            }
        }

        if (retry is null)
        {
            LogGaveUp(proxy.Logger, failed.Destination, failure, attempts);
            await FinishAsync(cancellationToken, alternate is null ? next : default).ConfigureAwait(false);
            return;
        }

        proxy.Metrics.TransactionFailovers.Add(1, new KeyValuePair<string, object?>("failure", failure.ToString()));
        LogFailover(proxy.Logger, failed.Destination, failure, alternate!);
        await AttemptAsync(alternate!, retry, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RouteDecision> ReportAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken)
    {
        try
        {
            return await proxy.Resolver.ReportFailureAsync(destination, failure, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCallbackFailed(proxy.Logger, ex);
            return default;
        }
    }

    /// <summary>
    /// The proxy's own final answer: 487 after a CANCEL; the resolver's <paramref name="refusal"/> when it gave one
    /// (the proxy itself cannot serve); 500 when a hop's 503 was the best response, since a 503 would tell the caller
    /// that this proxy is unavailable (§16.7 step 6); 408 to an INVITE when the only trouble was time, and nothing
    /// at all to a non-INVITE then (RFC 4320 §4.2: its caller's own Timer F ends it); else 503.
    /// </summary>
    private async ValueTask FinishAsync(CancellationToken cancellationToken, RouteDecision refusal = default)
    {
        lock (gate)
        {
            if (finished)
            {
                return;
            }

            MarkFinished();
        }

        if (IsCancelled())
        {
            await AnswerAsync(template, 487, "Request Terminated", default, cancellationToken).ConfigureAwait(false);
        }
        else if (refusal.StatusCode > 0)
        {
            var retryAfter = refusal.RetryAfterSeconds > 0 ? proxy.Answers.RetryAfter(refusal.RetryAfterSeconds) : default;
            await AnswerAsync(template, refusal.StatusCode, refusal.ReasonPhrase ?? "Service Unavailable", retryAfter, cancellationToken).ConfigureAwait(false);
        }
        else if (hopAnswered503)
        {
            await AnswerAsync(template, 500, "Server Internal Error (the server answered 503)", default, cancellationToken).ConfigureAwait(false);
        }
        else if (onlyTimeouts && !server.IsInvite)
        {
            server.ExpireUnanswered();
            proxy.Metrics.MessagesDropped.Add(1, NonInviteTimedOutTag);
        }
        else if (onlyTimeouts)
        {
            await AnswerAsync(template, 408, "Request Timeout (no server answered)", default, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AnswerAsync(template, 503, "Service Unavailable (no server could take the request)", proxy.Answers.RetryAfter(), cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask AnswerAsync(byte[] forwarded, int status, string reason, ReadOnlyMemory<byte> extraHeaders, CancellationToken cancellationToken) =>
        proxy.Answers.AnswerForwardedAsync(forwarded, status, reason, extraHeaders, server, cancellationToken);

    private async ValueTask SendCancelAsync(ClientTransaction target, CancellationToken cancellationToken)
    {
        var cancel = RequestComposer.Cancel(target.Request);
        var key = TransactionKey.ForClient(TransactionRequestWriter.BranchOf(target.Request, target.Transport.Hop), "CANCEL"u8);
        var transaction = new ClientTransaction(key, false, cancel, target.Destination, target.Transport, proxy.Table, proxy.Options.Timers, CancelResponses.Instance);
        await transaction.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool IsCancelled()
    {
        lock (gate)
        {
            return cancelled;
        }
    }

    private bool WasTried(IPEndPoint destination)
    {
        foreach (var endPoint in tried)
        {
            if (destination.Equals(endPoint))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> MethodOf(byte[] request) => request.AsSpan(0, request.AsSpan().IndexOf((byte)' '));

    void IWheelTimerOwner.OnTimer(int timer)
    {
        if (timer == WatchdogTimer)
        {
            OnNoResponse();
        }
        else
        {
            OnTimerC();
        }
    }

    /// <summary>Call under the gate. Counted once, however many final responses arrive (forked 2xx).</summary>
    private void MarkFinished()
    {
        DisarmWatchdog();
        proxy.Table.Wheel.Cancel(ref timerC);
        if (!finished)
        {
            finished = true;
            proxy.OnAnswered();
        }
    }

    private void DisarmWatchdog()
    {
        proxy.Table.Wheel.Cancel(ref watchdog);
    }

    // Timer callbacks cannot await: the work runs on its own, and a failure is logged, never lost silently.
    private static void Run(ProxiedTransaction self, Func<ProxiedTransaction, CancellationToken, ValueTask> work) => _ = RunAsync(self, work);

    private static async Task RunAsync(ProxiedTransaction self, Func<ProxiedTransaction, CancellationToken, ValueTask> work)
    {
        try
        {
            await work(self, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The listener closed while a timer was due: the node is stopping and nobody is waiting.
        }
        catch (Exception ex)
        {
            LogCallbackFailed(self.proxy.Logger, ex);
        }
    }

    [LoggerMessage(EventId = SipLogEvents.TransactionFailover, Level = LogLevel.Warning, Message = "Transaction to {Failed} failed ({Failure}); retrying on {Alternate}")]
    private static partial void LogFailover(ILogger logger, IPEndPoint failed, TransactionFailure failure, IPEndPoint alternate);

    [LoggerMessage(EventId = SipLogEvents.TransactionFailed, Level = LogLevel.Warning, Message = "Transaction to {Failed} failed ({Failure}) after {Attempts} attempt(s); answering the caller")]
    private static partial void LogGaveUp(ILogger logger, IPEndPoint failed, TransactionFailure failure, int attempts);

    [LoggerMessage(EventId = SipLogEvents.TransactionCallbackFailed, Level = LogLevel.Error, Message = "A transaction timer or failure report failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);

    /// <summary>The CANCEL's own responses end hop by hop here; the caller had its 200 from us.</summary>
    private sealed class CancelResponses : IClientTransactionUser
    {
        public static readonly CancelResponses Instance = new();

        public ValueTask OnResponseAsync(ClientTransaction transaction, SipMessage response, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void OnTimeout(ClientTransaction transaction)
        {
        }
    }
}
