using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Simulation;

/// <summary>
/// One member of a <see cref="SimulatedHaPair"/> on a UDP socket. Active, it serves: OPTIONS 200; INVITE 100,
/// 180, then 200 with SDP, the 2xx retransmitted until its ACK; BYE 200 for any dialog the pair knows (set up on
/// either member), else 481; CANCEL 200 and 487; anything else 200. Standby, it is silent or answers 503 to
/// everything. Dead, it is frozen (socket open, nothing answered) or gone (port closed). Requests go through
/// src/Sip's server transactions, so retransmissions are absorbed and non-2xx finals retransmitted as RFC 3261 says.
/// </summary>
public sealed partial class SimulatedServer : IAsyncDisposable
{
    private const string AllowLine = "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, MESSAGE, NOTIFY, UPDATE\r\n";

    // RFC 4566's example port: no media flows, the answer only has to look like one.
    private const int MediaPort = 49170;

    private readonly SimulatedHaPairOptions options;
    private readonly SharedDialogStore dialogs;
    private readonly Action<SimulatedServer> inviteReceived;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;
    private readonly ServerCounters counters = new();
    private readonly ConcurrentDictionary<TransactionKey, RingingCall> ringing = new();
    private readonly ConcurrentDictionary<string, UnacknowledgedAnswer> unacknowledged = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly string contactLine;
    private readonly byte[] sdp;
    private readonly string retryAfterLine;
    private SipEndpoint? endpoint;
    private volatile ServerState state;
    private DeathKind? death;
    private long nextRequest;
    private long answerDelayTicks;
    private int maxCalls;

    internal SimulatedServer(string name, IPEndPoint endPoint, ServerState initial, SimulatedHaPairOptions options, SharedDialogStore dialogs, Action<SimulatedServer> inviteReceived, TimeProvider time, ILogger logger, SipMetrics metrics)
    {
        Name = name;
        this.options = options;
        this.dialogs = dialogs;
        this.inviteReceived = inviteReceived;
        this.time = time;
        this.logger = logger;
        this.metrics = metrics;
        state = initial;
        answerDelayTicks = options.AnswerDelay.Ticks;
        maxCalls = options.MaxCalls;
        endpoint = Bind(endPoint);
        EndPoint = endpoint.EndPoint;
        contactLine = $"Contact: <sip:{endpoint.HostPort}>\r\n";
        sdp = SessionDescription.Create(EndPoint.Address, MediaPort, time.GetUtcNow().ToUnixTimeSeconds());
        retryAfterLine = $"Retry-After: {options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)}\r\n";
        LogStarted(logger, name, EndPoint, initial);
    }

    /// <summary>"primary" or "backup": the member's place in the pair's configuration, which never changes.</summary>
    public string Name { get; }

    /// <summary>The bound address; the same after a revival.</summary>
    public IPEndPoint EndPoint { get; }

    public ServerState State => state;

    /// <summary>How it died; null while alive.</summary>
    public DeathKind? Death
    {
        get
        {
            lock (gate)
            {
                return death;
            }
        }
    }

    public SimulatedServerCounts Counts => counters.Snapshot();

    /// <summary>Calls this member holds at once before it answers INVITEs 503; starts as <see cref="SimulatedHaPairOptions.MaxCalls"/>. Zero: an overloaded member.</summary>
    public int MaxCalls
    {
        get => Volatile.Read(ref maxCalls);
        set => Volatile.Write(ref maxCalls, value);
    }

    /// <summary>From 180 to 200 on this member; starts as <see cref="SimulatedHaPairOptions.AnswerDelay"/>. A test may make one member ring for ever.</summary>
    public TimeSpan AnswerDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref answerDelayTicks));
        set => Interlocked.Exchange(ref answerDelayTicks, value.Ticks);
    }

    /// <summary>Calls ringing or answered and not yet acknowledged.</summary>
    public int CallsInProgress => ringing.Count + unacknowledged.Count;

    /// <summary>Originates one OPTIONS from this member's own socket. Null <paramref name="requestUri"/> addresses <paramref name="destination"/> itself.</summary>
    /// <returns>The final status code, or 0 when none came within <paramref name="timeout"/>.</returns>
    public Task<int> SendOptionsAsync(IPEndPoint destination, string? requestUri, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendRequestAsync("OPTIONS", destination, requestUri ?? $"sip:{SipAddresses.HostPort(destination)}", [], timeout, cancellationToken);

    /// <summary>
    /// Originates one request from this member's own socket, as a server using the proxy as its outbound proxy
    /// does, in a client transaction (retransmitted). A 2xx to an INVITE is acknowledged along its dialog.
    /// The simulation lets a test make a standby talk; only a dead member cannot.
    /// </summary>
    /// <param name="headers">Extra header lines without CRLF, e.g. "Route: &lt;sip:10.0.0.1;lr&gt;".</param>
    /// <returns>The final status code, or 0 when none came within <paramref name="timeout"/>.</returns>
    public async Task<int> SendRequestAsync(string method, IPEndPoint destination, string requestUri, IReadOnlyList<string> headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sender = endpoint;
        if (state == ServerState.Dead || sender is null)
        {
            throw new InvalidOperationException($"{Name} is dead and cannot send.");
        }

        var id = Interlocked.Increment(ref nextRequest);
        var invite = method == "INVITE";
        var request = new OutgoingRequest(method, requestUri, SipEndpoint.NewBranch(), 1)
        {
            SentBy = sender.HostPort,
            FromLine = $"From: <sip:server@{sender.HostPort}>;tag={Name}{id}\r\n",
            ToLine = $"To: <{requestUri}>\r\n",
            CallId = $"{Name}-{id}-{Guid.NewGuid():N}@{sender.HostPort}",
            Contact = invite ? $"<sip:{sender.HostPort}>" : null,
            Headers = headers,
            Sdp = invite ? sdp : null,
        };
        var exchange = new ClientExchange();
        var answer = await sender.SendAsync(exchange, request, destination, timeout, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return 0;
        }

        if (invite && answer.IsSuccess && Dialog.TryCreate(request, answer, destination) is { } dialog)
        {
            var ack = dialog.Request("ACK", request.CSeq, sender.HostPort).ToBytes();
            exchange.Acknowledged(ack, dialog.NextHop);
            await sender.SendRawAsync(ack, dialog.NextHop, cancellationToken).ConfigureAwait(false);
        }

        return answer.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        SipEndpoint? closing;
        lock (gate)
        {
            state = ServerState.Dead;
            closing = endpoint;
            endpoint = null;
        }

        StopCalls();
        if (closing is not null)
        {
            await closing.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal void BecomeActive()
    {
        lock (gate)
        {
            if (state == ServerState.Dead)
            {
                throw new InvalidOperationException($"{Name} is dead and cannot take over.");
            }

            state = ServerState.Active;
        }

        LogTookOver(logger, Name, EndPoint);
    }

    internal void BecomeStandby()
    {
        lock (gate)
        {
            if (state == ServerState.Active)
            {
                state = ServerState.Standby;
            }
        }
    }

    internal async Task DieAsync(DeathKind kind)
    {
        SipEndpoint? closing = null;
        lock (gate)
        {
            if (state == ServerState.Dead)
            {
                return;
            }

            state = ServerState.Dead;
            death = kind;
            if (kind == DeathKind.ClosePort)
            {
                closing = endpoint;
                endpoint = null;
            }
        }

        // A dead process sends nothing more: no pending answers, no retransmissions.
        StopCalls();
        endpoint?.Silence();
        LogDied(logger, Name, EndPoint, kind);
        if (closing is not null)
        {
            await closing.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Comes back on the same port as the standby: a pair never fails back on its own.</summary>
    internal void Revive()
    {
        lock (gate)
        {
            if (state != ServerState.Dead)
            {
                return;
            }

            endpoint ??= Bind(EndPoint);
            death = null;
            state = ServerState.Standby;
        }

        LogRevived(logger, Name, EndPoint);
    }

    private SipEndpoint Bind(IPEndPoint at) =>
        SipEndpoint.Bind(at, HandleRequestAsync, options.Timers, options.MaxTransactions, time, logger, metrics);

    private async ValueTask HandleRequestAsync(SipMessage request, IPEndPoint source, CancellationToken cancellationToken)
    {
        var now = state;
        var sender = endpoint;
        if (now == ServerState.Dead || sender is null)
        {
            return;
        }

        var method = request.MethodToken.IsPresent ? Encoding.ASCII.GetString(request[request.MethodToken]) : "(malformed)";
        counters.Request(method, active: now == ServerState.Active);
        if (request.Error != SipParseError.None)
        {
            await RejectMalformedAsync(sender, request, source, now, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (now == ServerState.Standby)
        {
            await RefuseAsStandbyAsync(sender, request, source, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Invite:
                await HandleInviteAsync(sender, request, source, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethod.Ack:
                HandleAck(sender, request);
                break;
            case SipMethod.Cancel:
                await HandleCancelAsync(sender, request, source, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethod.Bye:
                await HandleByeAsync(sender, request, source, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethod.Options:
                if (await AnswerAsync(sender, request, source, 200, "OK", AllowLine + "Accept: application/sdp\r\n", cancellationToken).ConfigureAwait(false))
                {
                    counters.OptionsAnswered();
                }

                break;
            default:
                await AnswerAsync(sender, request, source, 200, "OK", string.Empty, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask RefuseAsStandbyAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (request.Method == SipMethod.Ack)
        {
            // The ACK of our own 503 to an INVITE: it stops the 503's retransmissions.
            AbsorbAck(sender, request);
            return;
        }

        if (options.Standby == StandbyBehavior.Refuse503)
        {
            await AnswerAsync(sender, request, source, 503, "Service Unavailable (standby)", retryAfterLine, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask RejectMalformedAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, ServerState now, CancellationToken cancellationToken)
    {
        counters.Malformed();
        LogMalformed(logger, Name, source, request.Error);
        if (now == ServerState.Active && request.Method != SipMethod.Ack && request.Vias.Count > 0)
        {
            using var response = ResponseFactory.Create(request, ProductName.None, 400, "Bad Request");
            await sender.SendRawAsync(response.Memory, source, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask HandleInviteAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (await OpenAsync(sender, request, source, cancellationToken).ConfigureAwait(false) is not { } transaction)
        {
            return;
        }

        var callId = Encoding.ASCII.GetString(request[request.CallId]);
        if (request.IsInDialog)
        {
            // A re-INVITE: only a dialog the pair knows can be refreshed.
            if (dialogs.Contains(callId))
            {
                await SendOkAsync(sender, transaction, callId, Ok(request), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                counters.UnknownDialog();
                await RespondAsync(transaction, request, 481, "Call/Transaction Does Not Exist", string.Empty, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        counters.InviteReceived();
        inviteReceived(this);
        if (CallsInProgress >= MaxCalls)
        {
            counters.InviteRefused();
            await RespondAsync(transaction, request, 503, "Service Unavailable (busy)", retryAfterLine, cancellationToken).ConfigureAwait(false);
            return;
        }

        await RespondAsync(transaction, request, 100, "Trying", string.Empty, cancellationToken).ConfigureAwait(false);
        var dialogLines = DialogLines(request);
        await RespondAsync(transaction, request, 180, "Ringing", dialogLines, cancellationToken).ConfigureAwait(false);
        using var terminated = ResponseFactory.Create(request, ProductName.None, 487, "Request Terminated");
        var call = new RingingCall(transaction, callId, Ok(request), terminated.Span.ToArray());

        // Only now may a CANCEL or the answer timer find the call, so that the 200 cannot overtake the 180.
        ringing[transaction.Key] = call;
        var delay = AnswerDelay;
        if (delay <= TimeSpan.Zero)
        {
            await AnswerCallAsync(call).ConfigureAwait(false);
            return;
        }

        call.Owner = this;
        call.Timer = time.CreateTimer(static state => ((RingingCall)state!).Owner!.AnswerLater((RingingCall)state), call, delay, Timeout.InfiniteTimeSpan);
        if (!ringing.ContainsKey(transaction.Key))
        {
            // Cancelled or killed while the timer was being armed.
            call.Timer.Dispose();
        }
    }

    private void AnswerLater(RingingCall call) => _ = AnswerCallAsync(call);

    private async Task AnswerCallAsync(RingingCall call)
    {
        call.Timer?.Dispose();
        var sender = endpoint;
        if (!ringing.TryRemove(new KeyValuePair<TransactionKey, RingingCall>(call.Transaction.Key, call)) || state != ServerState.Active || sender is null)
        {
            return;
        }

        await SendOkAsync(sender, call.Transaction, call.CallId, call.Ok, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SendOkAsync(SipEndpoint sender, ServerTransaction transaction, string callId, byte[] ok, CancellationToken cancellationToken)
    {
        // The dialog exists once the 2xx is sent; a hot standby has it replicated from then on.
        dialogs.Add(callId, this);
        if (!await transaction.SendResponseAsync(ok, 200, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        counters.InviteAnswered();
        var answer = new UnacknowledgedAnswer(this, sender, ok, transaction.ResponseDestination, callId, time.GetTimestamp());
        unacknowledged[callId] = answer;
        answer.Arm(time, options.Timers.T1);
    }

    // RFC 3261 §13.3.1.4: the UAS core retransmits its 2xx, T1 doubling up to T2, until the ACK or 64·T1.
    private void RetransmitOk(UnacknowledgedAnswer answer)
    {
        if (state != ServerState.Active || !unacknowledged.TryGetValue(answer.CallId, out var current) || !ReferenceEquals(current, answer))
        {
            return;
        }

        if (time.GetElapsedTime(answer.Started) >= options.Timers.TransactionTimeout)
        {
            unacknowledged.TryRemove(new KeyValuePair<string, UnacknowledgedAnswer>(answer.CallId, answer));
            answer.Dispose();
            return;
        }

        _ = answer.Sender.SendRawAsync(answer.Ok, answer.Destination, CancellationToken.None).AsTask();
        answer.Interval = options.Timers.NextInterval(answer.Interval, cap: true);
        answer.Arm(time, answer.Interval);
    }

    private void HandleAck(SipEndpoint sender, SipMessage request)
    {
        counters.AckReceived();
        if (AbsorbAck(sender, request))
        {
            return;
        }

        var callId = Encoding.ASCII.GetString(request[request.CallId]);
        if (unacknowledged.TryRemove(callId, out var answer))
        {
            answer.Dispose();
        }
    }

    /// <returns>True when the ACK acknowledged a non-2xx final of ours (same branch as the INVITE).</returns>
    private static bool AbsorbAck(SipEndpoint sender, SipMessage request) =>
        TransactionKey.TryForServer(request, out var key) && sender.Table.TryGet(key, out var invite) && invite!.OnAck();

    private async ValueTask HandleCancelAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (await OpenAsync(sender, request, source, cancellationToken).ConfigureAwait(false) is not { } transaction
            || !TransactionKey.TryForCancelledInvite(request, out var inviteKey))
        {
            return;
        }

        if (ringing.TryRemove(inviteKey, out var call))
        {
            call.Timer?.Dispose();
            await RespondAsync(transaction, request, 200, "OK", string.Empty, cancellationToken).ConfigureAwait(false);
            await call.Transaction.SendResponseAsync(call.Terminated, 487, cancellationToken).ConfigureAwait(false);
            counters.InviteCancelled();
            return;
        }

        // Too late (already answered) is still 200 (§9.2); an INVITE never seen is 481.
        var known = sender.Table.TryGet(inviteKey, out _);
        await RespondAsync(transaction, request, known ? 200 : 481, known ? "OK" : "Call/Transaction Does Not Exist", string.Empty, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask HandleByeAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (await OpenAsync(sender, request, source, cancellationToken).ConfigureAwait(false) is not { } transaction)
        {
            return;
        }

        var callId = Encoding.ASCII.GetString(request[request.CallId]);
        if (unacknowledged.TryRemove(callId, out var answer))
        {
            answer.Dispose();
        }

        // Counted before the answer leaves, so that whoever sees the answer also sees it counted.
        if (dialogs.Remove(callId) is { } owner)
        {
            counters.ByeAnswered(otherMembersDialog: !ReferenceEquals(owner, this));
            await RespondAsync(transaction, request, 200, "OK", string.Empty, cancellationToken).ConfigureAwait(false);
            return;
        }

        counters.UnknownDialog();
        await RespondAsync(transaction, request, 481, "Call/Transaction Does Not Exist", string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers in a fresh server transaction; false when the request was a retransmission (the transaction re-sent its answer).</summary>
    private static async ValueTask<bool> AnswerAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, int status, string reason, string extraLines, CancellationToken cancellationToken)
    {
        if (await OpenAsync(sender, request, source, cancellationToken).ConfigureAwait(false) is not { } transaction)
        {
            return false;
        }

        await RespondAsync(transaction, request, status, reason, extraLines, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <returns>The new server transaction; null for a retransmission (answered from the existing one) or a full table.</returns>
    private static async ValueTask<ServerTransaction?> OpenAsync(SipEndpoint sender, SipMessage request, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (!TransactionKey.TryForServer(request, out var key))
        {
            return null;
        }

        var transaction = new ServerTransaction(key, request.Method == SipMethod.Invite, source, sender.Transport, sender.Table, sender.Timers);
        switch (sender.Table.TryAdd(transaction, out var existing))
        {
            case TableInsert.Added:
                return transaction;
            case TableInsert.Exists:
                await existing!.OnRetransmissionAsync(cancellationToken).ConfigureAwait(false);
                return null;
            default:
                return null;
        }
    }

    private static async ValueTask RespondAsync(ServerTransaction transaction, SipMessage request, int status, string reason, string extraLines, CancellationToken cancellationToken)
    {
        using var response = ResponseFactory.Create(request, ProductName.None, status, reason, Encoding.ASCII.GetBytes(extraLines));
        await transaction.SendResponseAsync(response.Memory, status, cancellationToken).ConfigureAwait(false);
    }

    private byte[] Ok(SipMessage request)
    {
        var lines = DialogLines(request) + SessionDescription.ContentTypeLine;
        using var ok = ResponseFactory.Create(request, ProductName.None, 200, "OK", Encoding.ASCII.GetBytes(lines), sdp);
        return ok.Span.ToArray();
    }

    /// <summary>Contact and the request's Record-Route lines, which a dialog-creating response carries (§12.1.1).</summary>
    private string DialogLines(SipMessage request)
    {
        var lines = new StringBuilder(contactLine);
        foreach (var header in request.Headers)
        {
            if (header.Kind == HeaderKind.RecordRoute)
            {
                lines.Append(Encoding.ASCII.GetString(request.Span.Slice(header.Line.Offset, header.Line.Length)));
            }
        }

        return lines.ToString();
    }

    private void StopCalls()
    {
        foreach (var call in ringing.Values)
        {
            call.Timer?.Dispose();
        }

        ringing.Clear();
        foreach (var answer in unacknowledged.Values)
        {
            answer.Dispose();
        }

        unacknowledged.Clear();
    }

    [LoggerMessage(EventId = SimulationLogEvents.ServerStarted, Level = LogLevel.Information, Message = "Simulated server {Server} on {EndPoint} starts {State}")]
    private static partial void LogStarted(ILogger logger, string server, IPEndPoint endPoint, ServerState state);

    [LoggerMessage(EventId = SimulationLogEvents.ServerDied, Level = LogLevel.Information, Message = "Simulated server {Server} on {EndPoint} died ({Kind})")]
    private static partial void LogDied(ILogger logger, string server, IPEndPoint endPoint, DeathKind kind);

    [LoggerMessage(EventId = SimulationLogEvents.ServerTookOver, Level = LogLevel.Information, Message = "Simulated server {Server} on {EndPoint} is active")]
    private static partial void LogTookOver(ILogger logger, string server, IPEndPoint endPoint);

    [LoggerMessage(EventId = SimulationLogEvents.ServerRevived, Level = LogLevel.Information, Message = "Simulated server {Server} on {EndPoint} is back, as the standby")]
    private static partial void LogRevived(ILogger logger, string server, IPEndPoint endPoint);

    [LoggerMessage(EventId = SimulationLogEvents.MalformedDropped, Level = LogLevel.Debug, Message = "Simulated server {Server}: malformed request from {Source} ({Error})")]
    private static partial void LogMalformed(ILogger logger, string server, IPEndPoint source, SipParseError error);

    /// <summary>An INVITE between its 180 and its 200: the answer timer and a CANCEL race for it.</summary>
    private sealed class RingingCall(ServerTransaction transaction, string callId, byte[] ok, byte[] terminated)
    {
        public ServerTransaction Transaction { get; } = transaction;

        public string CallId { get; } = callId;

        public byte[] Ok { get; } = ok;

        public byte[] Terminated { get; } = terminated;

        public SimulatedServer? Owner { get; set; }

        public ITimer? Timer { get; set; }
    }

    /// <summary>A 2xx sent and not yet acknowledged.</summary>
    private sealed class UnacknowledgedAnswer(SimulatedServer owner, SipEndpoint sender, byte[] ok, IPEndPoint destination, string callId, long started) : IDisposable
    {
        private ITimer? timer;

        public SipEndpoint Sender { get; } = sender;

        public byte[] Ok { get; } = ok;

        public IPEndPoint Destination { get; } = destination;

        public string CallId { get; } = callId;

        public long Started { get; } = started;

        public TimeSpan Interval { get; set; }

        public void Arm(TimeProvider time, TimeSpan due)
        {
            Interval = due;
            var next = time.CreateTimer(static state => ((UnacknowledgedAnswer)state!).Fire(), this, due, Timeout.InfiniteTimeSpan);
            Interlocked.Exchange(ref timer, next)?.Dispose();
        }

        public void Dispose() => Interlocked.Exchange(ref timer, null)?.Dispose();

        private void Fire() => owner.RetransmitOk(this);
    }
}
