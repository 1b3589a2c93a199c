using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// A user agent client that places calls through a proxy over UDP: INVITE with SDP, ACK, a short hold, BYE,
/// retransmitting per RFC 3261 §17.1 (Timer A, E). Calls may run at once; one receive loop matches responses
/// to calls by Via branch. Loose routing is assumed, as every RFC 3261 proxy does it.
/// </summary>
internal sealed partial class DemoUserAgent : IAsyncDisposable
{
    // RFC 4566's example port: the demo carries no media, the offer only has to look like one.
    private const int MediaPort = 49172;

    private readonly DemoUdpSocket socket;
    private readonly DemoUserAgentOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly SipMessage message = new();
    private readonly ConcurrentDictionary<string, ClientTransaction> transactions = new(StringComparer.Ordinal);
    private readonly string instance = Guid.NewGuid().ToString("N")[..8];
    private readonly string hostPort;
    private readonly string localUri;
    private readonly string serviceUri;
    private readonly string sdp;
    private int nextCall;

    private DemoUserAgent(DemoUdpSocket socket, IPEndPoint proxy, DemoUserAgentOptions options, ILogger logger, TimeProvider timeProvider)
    {
        this.socket = socket;
        Proxy = proxy;
        this.options = options;
        this.logger = logger;
        this.timeProvider = timeProvider;
        hostPort = DemoAddresses.HostPort(socket.LocalEndPoint);
        localUri = $"sip:demo@{hostPort}";
        serviceUri = $"sip:{options.ServiceUser}@{DemoAddresses.HostPort(proxy)}";
        sdp = SessionDescription.Create(socket.LocalEndPoint.Address, MediaPort, timeProvider.GetUtcNow().ToUnixTimeSeconds());
        socket.Start(HandleDatagramAsync);
    }

    public IPEndPoint LocalEndPoint => socket.LocalEndPoint;

    /// <summary>Where every INVITE goes; ACK and BYE follow the dialog's route set.</summary>
    public IPEndPoint Proxy { get; }

    /// <param name="localEndPoint">The user agent's own address; port 0 picks a free port.</param>
    /// <param name="proxy">Where INVITEs go (<c>sip:service@proxy</c>); for a test, a server itself.</param>
    public static DemoUserAgent Bind(
        IPEndPoint localEndPoint,
        IPEndPoint proxy,
        DemoUserAgentOptions options,
        ILogger<DemoUserAgent> logger,
        TimeProvider timeProvider)
    {
        var agent = new DemoUserAgent(DemoUdpSocket.Bind(localEndPoint, logger), proxy, options, logger, timeProvider);
        LogStarted(logger, agent.LocalEndPoint, agent.serviceUri, proxy);
        return agent;
    }

    /// <summary>One whole call: INVITE, ACK, hold, BYE. Never throws for a SIP failure; the result says what went wrong.</summary>
    public async Task<DemoCallResult> PlaceCallAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref nextCall);
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        var invite = new OutgoingRequest("INVITE", serviceUri, Branch(number, 'i'), 1)
        {
            SentBy = hostPort,
            From = $"<{localUri}>;tag={instance}{number:x}",
            To = $"<{serviceUri}>",
            CallId = $"{instance}-{number}@{hostPort}",
            Contact = $"<{localUri}>",
            Sdp = sdp,
        };
        var inviteTransaction = new ClientTransaction(invite.Branch);
        transactions[invite.Branch] = inviteTransaction;
        try
        {
            var answer = await RunAsync(inviteTransaction, invite.ToBytes(), Proxy, isInvite: true, options.InviteTimeout, cancellationToken).ConfigureAwait(false);
            var setupTime = timeProvider.GetElapsedTime(started);
            if (answer is null)
            {
                return Logged(new(number, false, 0, 0, $"no final response to INVITE within {options.InviteTimeout.TotalMilliseconds:0} ms", null, startedAt, setupTime));
            }

            if (!answer.IsSuccess)
            {
                await AcknowledgeRejectionAsync(invite, answer, cancellationToken).ConfigureAwait(false);
                return Logged(new(number, false, answer.StatusCode, 0, $"INVITE answered {answer.StatusCode} {answer.ReasonPhrase}", null, startedAt, setupTime));
            }

            var (byeStatus, failure, answeredBy) = await CompleteCallAsync(number, invite, inviteTransaction, answer, cancellationToken).ConfigureAwait(false);
            var result = new DemoCallResult(number, failure is null, answer.StatusCode, byeStatus, failure, answeredBy, startedAt, setupTime);
            return Logged(result);
        }
        finally
        {
            transactions.TryRemove(invite.Branch, out _);
        }
    }

    /// <summary>
    /// Starts <paramref name="calls"/> calls paced at <paramref name="callsPerSecond"/>, none later than
    /// <paramref name="maxDuration"/> after the first, and waits for all of them; each ends within Timer B + hold + Timer F.
    /// </summary>
    /// <param name="onCallCompleted">Called as each call ends, from the thread that ended it.</param>
    /// <returns>Results in the order the calls were started.</returns>
    public async Task<IReadOnlyList<DemoCallResult>> RunLoadAsync(
        int calls,
        double callsPerSecond,
        TimeSpan maxDuration,
        Action<DemoCallResult>? onCallCompleted,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callsPerSecond);
        var started = timeProvider.GetTimestamp();
        var running = new List<Task<DemoCallResult>>(Math.Min(calls, 1024));
        for (var i = 0; i < calls; i++)
        {
            var due = TimeSpan.FromSeconds(i / callsPerSecond);
            if (due > maxDuration)
            {
                break;
            }

            var wait = due - timeProvider.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            running.Add(PlaceAndReportAsync(onCallCompleted, cancellationToken));
        }

        return await Task.WhenAll(running).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();

    private async Task<DemoCallResult> PlaceAndReportAsync(Action<DemoCallResult>? onCallCompleted, CancellationToken cancellationToken)
    {
        var result = await PlaceCallAsync(cancellationToken).ConfigureAwait(false);
        onCallCompleted?.Invoke(result);
        return result;
    }

    /// <summary>ACK, hold, BYE within the dialog the 2xx set up (RFC 3261 §12.1.2, §13.2.2.4, §15).</summary>
    /// <returns>The BYE's status (0 when none), why the call failed (null when it did not), and who answered.</returns>
    private async Task<(int ByeStatus, string? Failure, IPEndPoint? AnsweredBy)> CompleteCallAsync(
        int number,
        OutgoingRequest invite,
        ClientTransaction inviteTransaction,
        DemoResponse answer,
        CancellationToken cancellationToken)
    {
        if (answer.Contact is null)
        {
            return (0, "2xx without Contact: no target for ACK and BYE", null);
        }

        var answeredBy = DemoAddresses.TryGetEndPoint(answer.Contact, out var contactAddress) ? contactAddress : null;
        var routes = new string[answer.RecordRoutes.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            routes[i] = answer.RecordRoutes[^(i + 1)];
        }

        var nextHop = routes.Length > 0
            ? DemoAddresses.TryGetEndPoint(routes[0], out var firstRoute) ? firstRoute : Proxy
            : answeredBy ?? Proxy;
        var ack = InDialog(invite, "ACK", answer, routes, invite.CSeq, Branch(number, 'a'));
        inviteTransaction.Ack = new ClientTransaction.AckToResend(ack.ToBytes(), nextHop);
        await socket.SendAsync(inviteTransaction.Ack.Request, nextHop, cancellationToken).ConfigureAwait(false);

        await Task.Delay(options.HoldTime, timeProvider, cancellationToken).ConfigureAwait(false);

        var bye = InDialog(invite, "BYE", answer, routes, invite.CSeq + 1, Branch(number, 'b'));
        var byeTransaction = new ClientTransaction(bye.Branch);
        transactions[bye.Branch] = byeTransaction;
        DemoResponse? byeAnswer;
        try
        {
            byeAnswer = await RunAsync(byeTransaction, bye.ToBytes(), nextHop, isInvite: false, options.ByeTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            transactions.TryRemove(bye.Branch, out _);
        }

        return byeAnswer switch
        {
            null => (0, $"no final response to BYE within {options.ByeTimeout.TotalMilliseconds:0} ms", answeredBy),
            { IsSuccess: false } => (byeAnswer.StatusCode, $"BYE answered {byeAnswer.StatusCode} {byeAnswer.ReasonPhrase}", answeredBy),
            _ => (byeAnswer.StatusCode, null, answeredBy),
        };
    }

    /// <summary>The ACK for a non-2xx is part of the INVITE transaction: same branch, same Request-URI, same next hop (§17.1.1.3).</summary>
    private async Task AcknowledgeRejectionAsync(OutgoingRequest invite, DemoResponse answer, CancellationToken cancellationToken)
    {
        var ack = invite with { Method = "ACK", To = answer.To, Contact = null, Sdp = null };
        await socket.SendAsync(ack.ToBytes(), Proxy, cancellationToken).ConfigureAwait(false);
    }

    private OutgoingRequest InDialog(OutgoingRequest invite, string method, DemoResponse answer, IReadOnlyList<string> routes, int cseq, string branch) =>
        new(method, answer.Contact!, branch, cseq)
        {
            SentBy = hostPort,
            From = invite.From,
            To = answer.To,
            CallId = invite.CallId,
            Routes = routes,
        };

    /// <summary>
    /// Sends a request and retransmits it until a final response or <paramref name="timeout"/>: an INVITE at
    /// T1, 2T1, 4T1... until a provisional response (Timer A); any other request doubling up to T2 (Timer E).
    /// </summary>
    /// <returns>The final response, or null on time-out.</returns>
    private async Task<DemoResponse?> RunAsync(ClientTransaction transaction, byte[] request, IPEndPoint destination, bool isInvite, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var interval = options.Timers.T1;
        await socket.SendAsync(request, destination, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var remaining = timeout - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            var retransmitting = !isInvite || !transaction.ProvisionalReceived;
            try
            {
                var wait = retransmitting && interval < remaining ? interval : remaining;
                return await transaction.Final.WaitAsync(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The retransmission timer fired before a final response.
            }

            if ((isInvite && transaction.ProvisionalReceived) || timeProvider.GetElapsedTime(started) >= timeout)
            {
                continue;
            }

            await socket.SendAsync(request, destination, cancellationToken).ConfigureAwait(false);
            var doubled = interval * 2;
            interval = isInvite ? doubled
                : transaction.ProvisionalReceived || doubled > options.Timers.T2 ? options.Timers.T2
                : doubled;
        }
    }

    private async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> data, IPEndPoint source)
    {
        if (!SipParser.TryParse(data, message, SipParseLimits.Default) || message.IsRequest)
        {
            if (message.Error != SipParseError.Empty)
            {
                LogDropped(logger, message.IsRequest ? "request" : "malformed message", source);
            }

            return;
        }

        var branch = TopVia.Branch(message);
        if (branch is null || !transactions.TryGetValue(branch, out var transaction))
        {
            LogResponseUnmatched(logger, message.StatusCode, source);
            return;
        }

        if (transaction.OnResponse(message) && message.StatusCode < 300 && transaction.Ack is { } ack)
        {
            await socket.SendAsync(ack.Request, ack.Destination, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private string Branch(int callNumber, char kind) => $"z9hG4bK-{instance}-{callNumber}{kind}";

    private DemoCallResult Logged(DemoCallResult result)
    {
        if (result.Succeeded)
        {
            LogCallSucceeded(logger, result.CallNumber, result.AnsweredBy, result.SetupTime.TotalMilliseconds);
        }
        else
        {
            LogCallFailed(logger, result.CallNumber, result.FailureReason);
        }

        return result;
    }

    [LoggerMessage(EventId = SiloEventIds.AgentStarted, Level = LogLevel.Information, Message = "Demo user agent on {LocalEndPoint} calls {ServiceUri} via {Proxy}")]
    private static partial void LogStarted(ILogger logger, IPEndPoint localEndPoint, string serviceUri, IPEndPoint proxy);

    [LoggerMessage(EventId = SiloEventIds.AgentCallSucceeded, Level = LogLevel.Debug, Message = "Call {CallNumber} answered by {AnsweredBy} in {SetupMs:0.0} ms and hung up")]
    private static partial void LogCallSucceeded(ILogger logger, int callNumber, IPEndPoint? answeredBy, double setupMs);

    [LoggerMessage(EventId = SiloEventIds.AgentCallFailed, Level = LogLevel.Information, Message = "Call {CallNumber} failed: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, int callNumber, string? reason);

    [LoggerMessage(EventId = SiloEventIds.AgentMessageDropped, Level = LogLevel.Debug, Message = "Demo user agent: {Kind} from {Source} dropped")]
    private static partial void LogDropped(ILogger logger, string kind, IPEndPoint source);

    [LoggerMessage(EventId = SiloEventIds.AgentResponseUnmatched, Level = LogLevel.Debug, Message = "Demo user agent: {Status} response from {Source} matches no call; dropped")]
    private static partial void LogResponseUnmatched(ILogger logger, int status, IPEndPoint source);
}
