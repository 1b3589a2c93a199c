using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// One member of a simulated SIP server HA pair on a UDP socket. Active, it answers OPTIONS; standby, it stays
/// silent to them until promoted. Either way it answers the calls it is sent (100, 180, then 200 with SDP) and
/// their ACK, BYE and CANCEL, retransmitting final responses until acknowledged. <see cref="Crash"/> kills it.
/// </summary>
internal sealed partial class SimulatedSipServer : IAsyncDisposable
{
    private const string Allow = "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, MESSAGE, NOTIFY\r\n";

    // RFC 4566's example port: the demo carries no media, the offer only has to look like one.
    private const int MediaPort = 49170;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(10);

    private readonly DemoUdpSocket socket;
    private readonly SimulatedSipServerOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly SipMessage message = new();
    private readonly ConcurrentDictionary<string, ServerCall> calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> originated = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly string instance = Guid.NewGuid().ToString("N")[..8];
    private readonly string hostPort;
    private readonly string contact;
    private readonly string sdp;
    private readonly Task sweeper;
    private volatile ServerRole role;
    private long nextTag;
    private long nextRequest;
    private long invitesReceived;
    private long invitesAnswered;
    private long invitesCancelled;
    private long acksReceived;
    private long byesAnswered;
    private long optionsAnswered;
    private long optionsIgnored;
    private long otherRequests;
    private long malformedMessages;

    private SimulatedSipServer(string name, DemoUdpSocket socket, ServerRole role, SimulatedSipServerOptions options, ILogger logger, TimeProvider timeProvider)
    {
        Name = name;
        this.socket = socket;
        this.role = role;
        this.options = options;
        this.logger = logger;
        this.timeProvider = timeProvider;
        hostPort = DemoAddresses.HostPort(socket.LocalEndPoint);
        contact = $"<sip:{hostPort}>";
        sdp = SessionDescription.Create(socket.LocalEndPoint.Address, MediaPort, timeProvider.GetUtcNow().ToUnixTimeSeconds());
        socket.Start(HandleDatagramAsync);
        sweeper = SweepAsync();
    }

    /// <summary>A label for logs and the demo's report.</summary>
    public string Name { get; }

    public IPEndPoint EndPoint => socket.LocalEndPoint;

    public ServerRole Role => role;

    public SimulatedServerCounts Counts => new(
        Interlocked.Read(ref invitesReceived),
        Interlocked.Read(ref invitesAnswered),
        Interlocked.Read(ref invitesCancelled),
        Interlocked.Read(ref acksReceived),
        Interlocked.Read(ref byesAnswered),
        Interlocked.Read(ref optionsAnswered),
        Interlocked.Read(ref optionsIgnored),
        Interlocked.Read(ref otherRequests),
        Interlocked.Read(ref malformedMessages));

    /// <param name="endPoint">Where to listen; port 0 picks a free port (see <see cref="EndPoint"/>).</param>
    /// <param name="role"><see cref="ServerRole.Active"/> or <see cref="ServerRole.Standby"/>.</param>
    public static SimulatedSipServer Start(
        string name,
        IPEndPoint endPoint,
        ServerRole role,
        SimulatedSipServerOptions options,
        ILogger<SimulatedSipServer> logger,
        TimeProvider timeProvider)
    {
        if (role == ServerRole.Crashed)
        {
            throw new ArgumentException("A server starts active or standby.", nameof(role));
        }

        var server = new SimulatedSipServer(name, DemoUdpSocket.Bind(endPoint, logger), role, options, logger, timeProvider);
        LogStarted(logger, name, server.EndPoint, role);
        return server;
    }

    /// <summary>A standby takes over: from now on it answers OPTIONS.</summary>
    public void Promote()
    {
        if (role == ServerRole.Crashed)
        {
            throw new InvalidOperationException($"{Name} has crashed and cannot be promoted.");
        }

        role = ServerRole.Active;
        LogPromoted(logger, Name, EndPoint);
    }

    /// <summary>Stops answering anything, at once and for good, as a dead host would: the socket is closed.</summary>
    public void Crash()
    {
        if (role == ServerRole.Crashed)
        {
            return;
        }

        role = ServerRole.Crashed;
        socket.Close();
        stopping.Cancel();
        calls.Clear();
        LogCrashed(logger, Name, EndPoint);
    }

    /// <summary>
    /// Originates one OPTIONS from this server's own socket, as an HA server that has become active does
    /// (DESIGN.md rule 2: a proxy that sees a request from the standby switches to it). Sent once, not retransmitted.
    /// </summary>
    /// <returns>The final status code, or 0 when none came within <paramref name="timeout"/>.</returns>
    public Task<int> SendOptionsAsync(IPEndPoint destination, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendOptionsAsync(destination, requestUri: null, timeout, cancellationToken);

    /// <param name="requestUri">Null addresses the destination itself (<c>sip:host:port</c>).</param>
    public Task<int> SendOptionsAsync(IPEndPoint destination, string? requestUri, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendRequestAsync("OPTIONS", destination, requestUri ?? $"sip:{DemoAddresses.HostPort(destination)}", [], timeout, cancellationToken);

    /// <summary>
    /// Originates one request from this server's own socket, as a server using the proxy as its outbound proxy does.
    /// Sent once, not retransmitted; a 2xx to an INVITE is not acknowledged, so send INVITEs only to peers that do not
    /// retransmit it.
    /// </summary>
    /// <param name="headers">Extra header lines without CRLF, e.g. "Route: &lt;sip:10.0.0.1;lr&gt;".</param>
    /// <returns>The final status code, or 0 when none came within <paramref name="timeout"/>.</returns>
    public async Task<int> SendRequestAsync(
        string method,
        IPEndPoint destination,
        string requestUri,
        IReadOnlyList<string> headers,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (role == ServerRole.Crashed)
        {
            throw new InvalidOperationException($"{Name} has crashed and cannot send.");
        }

        var id = Interlocked.Increment(ref nextRequest);
        var request = new OutgoingRequest(method, requestUri, $"z9hG4bK-{instance}-o{id}", (int)id)
        {
            SentBy = hostPort,
            From = $"<sip:server@{hostPort}>;tag={NewTag()}",
            To = $"<{requestUri}>",
            CallId = $"{instance}-o{id}@{hostPort}",
            Contact = method == "INVITE" ? contact : null,
            Headers = headers,
        };
        var answered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        originated[request.Branch] = answered;
        try
        {
            await socket.SendAsync(request.ToBytes(), destination, cancellationToken).ConfigureAwait(false);
            LogRequestSent(logger, Name, method, destination);
            return await answered.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return 0;
        }
        finally
        {
            originated.TryRemove(request.Branch, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await socket.DisposeAsync().ConfigureAwait(false);
        await sweeper.ConfigureAwait(false);
        stopping.Dispose();
    }

    private async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> data, IPEndPoint source)
    {
        if (role == ServerRole.Crashed)
        {
            return;
        }

        if (!SipParser.TryParse(data, message, SipParseLimits.Default))
        {
            await RejectMalformedAsync(source).ConfigureAwait(false);
            return;
        }

        if (!message.IsRequest)
        {
            CompleteOriginated(source);
            return;
        }

        var destination = TopVia.ResponseDestination(message, source);
        switch (message.Method)
        {
            case SipMethod.Invite:
                await HandleInviteAsync(destination).ConfigureAwait(false);
                break;
            case SipMethod.Ack:
                HandleAck();
                break;
            case SipMethod.Cancel:
                await HandleCancelAsync(destination).ConfigureAwait(false);
                break;
            case SipMethod.Bye:
                // The members of an HA pair share dialog state, so a BYE for a call the other member set up
                // (it went down meanwhile) is answered 200 too, not 481.
                calls.TryRemove(CallId(), out _);
                Interlocked.Increment(ref byesAnswered);
                await SendAsync(SimulatedResponses.Write(message, 200, "OK"), destination).ConfigureAwait(false);
                break;
            case SipMethod.Options:
                await HandleOptionsAsync(destination).ConfigureAwait(false);
                break;
            case SipMethod.Info or SipMethod.Message or SipMethod.Notify:
                Interlocked.Increment(ref otherRequests);
                await SendAsync(SimulatedResponses.Write(message, 200, "OK", NewTag()), destination).ConfigureAwait(false);
                break;
            default:
                Interlocked.Increment(ref otherRequests);
                await SendAsync(SimulatedResponses.Write(message, 501, "Not Implemented", NewTag(), extraHeaderLines: Allow), destination).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask RejectMalformedAsync(IPEndPoint source)
    {
        if (message.Error == SipParseError.Empty)
        {
            return;
        }

        Interlocked.Increment(ref malformedMessages);
        LogMalformed(logger, Name, source, message.Error);
        if (message.IsRequest && message.Method != SipMethod.Ack && message.Vias.Count > 0)
        {
            await SendAsync(SimulatedResponses.Write(message, 400, "Bad Request", NewTag()), TopVia.ResponseDestination(message, source)).ConfigureAwait(false);
        }
    }

    private async ValueTask HandleInviteAsync(IPEndPoint destination)
    {
        var callId = CallId();
        if (calls.TryGetValue(callId, out var existing) && existing.CSeq == message.CSeqNumber)
        {
            await SendAsync(existing.LastResponse, existing.ResponseDestination).ConfigureAwait(false);
            return;
        }

        if (existing is null && calls.Count >= options.MaxCalls)
        {
            LogCallTableFull(logger, Name, options.MaxCalls);
            await SendAsync(SimulatedResponses.Write(message, 503, "Service Unavailable", NewTag(), extraHeaderLines: "Retry-After: 5\r\n"), destination).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref invitesReceived);
        var tag = NewTag();
        var ringing = SimulatedResponses.Write(message, 180, "Ringing", tag, contact, copyRecordRoutes: true);
        var ok = SimulatedResponses.Write(message, 200, "OK", tag, contact, copyRecordRoutes: true, sdp);
        var terminated = SimulatedResponses.Write(message, 487, "Request Terminated", tag);
        var now = timeProvider.GetUtcNow();
        var call = new ServerCall(message.CSeqNumber, tag, destination, ringing, ok, terminated, now + options.AnswerDelay);
        await SendAsync(SimulatedResponses.Write(message, 100, "Trying"), destination).ConfigureAwait(false);
        await SendAsync(ringing, destination).ConfigureAwait(false);

        // Only now may the sweeper see the call, so that its 200 cannot overtake the 180.
        calls[callId] = call;
        await TryAnswerAsync(callId, call, now).ConfigureAwait(false);
    }

    private void HandleAck()
    {
        Interlocked.Increment(ref acksReceived);
        var callId = CallId();
        if (calls.TryGetValue(callId, out var call) && call.CSeq == message.CSeqNumber && call.Acknowledge())
        {
            calls.TryRemove(KeyValuePair.Create(callId, call));
        }
    }

    private async ValueTask HandleCancelAsync(IPEndPoint destination)
    {
        var callId = CallId();
        if (!calls.TryGetValue(callId, out var call) || call.CSeq != message.CSeqNumber)
        {
            await SendAsync(SimulatedResponses.Write(message, 481, "Call/Transaction Does Not Exist", NewTag()), destination).ConfigureAwait(false);
            return;
        }

        await SendAsync(SimulatedResponses.Write(message, 200, "OK", call.Tag), destination).ConfigureAwait(false);
        if (call.TryComplete(cancel: true, timeProvider.GetUtcNow(), options.Timers) is { } terminated)
        {
            Interlocked.Increment(ref invitesCancelled);
            LogCallCancelled(logger, Name, callId);
            await SendAsync(terminated, call.ResponseDestination).ConfigureAwait(false);
        }
    }

    private async ValueTask HandleOptionsAsync(IPEndPoint destination)
    {
        if (role == ServerRole.Standby)
        {
            Interlocked.Increment(ref optionsIgnored);
            LogOptionsIgnored(logger, Name, destination);
            return;
        }

        Interlocked.Increment(ref optionsAnswered);
        var extra = Allow + $"Accept: {SessionDescription.ContentType}\r\n";
        await SendAsync(SimulatedResponses.Write(message, 200, "OK", NewTag(), extraHeaderLines: extra), destination).ConfigureAwait(false);
    }

    private void CompleteOriginated(IPEndPoint source)
    {
        var branch = TopVia.Branch(message);
        if (branch is not null && originated.TryGetValue(branch, out var answered))
        {
            if (message.StatusCode >= 200)
            {
                answered.TrySetResult(message.StatusCode);
            }

            return;
        }

        LogResponseUnmatched(logger, Name, source, message.StatusCode);
    }

    private async ValueTask TryAnswerAsync(string callId, ServerCall call, DateTimeOffset now)
    {
        if (call.TryComplete(cancel: false, now, options.Timers) is { } ok)
        {
            Interlocked.Increment(ref invitesAnswered);
            LogCallAnswered(logger, Name, callId);
            await SendAsync(ok, call.ResponseDestination).ConfigureAwait(false);
        }
    }

    /// <summary>Sends delayed answers and retransmits unacknowledged final responses, all calls on one timer.</summary>
    private async Task SweepAsync()
    {
        using var timer = new PeriodicTimer(SweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                var now = timeProvider.GetUtcNow();
                foreach (var (callId, call) in calls)
                {
                    if (call.State == ServerCallState.Proceeding)
                    {
                        await TryAnswerAsync(callId, call, now).ConfigureAwait(false);
                    }
                    else if (call.DueRetransmission(now, options.Timers) is { } again)
                    {
                        await SendAsync(again, call.ResponseDestination).ConfigureAwait(false);
                    }
                    else if (call.IsAbandoned(now) && calls.TryRemove(KeyValuePair.Create(callId, call)))
                    {
                        LogCallNeverAcknowledged(logger, Name, callId);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Crashed or disposed.
        }
    }

    private ValueTask<bool> SendAsync(byte[] datagram, IPEndPoint destination) => socket.SendAsync(datagram, destination, stopping.Token);

    private string CallId() => Encoding.ASCII.GetString(message[message.CallId]);

    private string NewTag() => $"{instance}{Interlocked.Increment(ref nextTag):x}";

    [LoggerMessage(EventId = SiloEventIds.ServerStarted, Level = LogLevel.Information, Message = "Simulated SIP server {Server} listening on {EndPoint} as {Role}")]
    private static partial void LogStarted(ILogger logger, string server, IPEndPoint endPoint, ServerRole role);

    [LoggerMessage(EventId = SiloEventIds.ServerPromoted, Level = LogLevel.Information, Message = "Simulated SIP server {Server} ({EndPoint}) promoted to active")]
    private static partial void LogPromoted(ILogger logger, string server, IPEndPoint endPoint);

    [LoggerMessage(EventId = SiloEventIds.ServerCrashed, Level = LogLevel.Warning, Message = "Simulated SIP server {Server} ({EndPoint}) crashed: it answers nothing from now on")]
    private static partial void LogCrashed(ILogger logger, string server, IPEndPoint endPoint);

    [LoggerMessage(EventId = SiloEventIds.ServerMalformedMessage, Level = LogLevel.Information, Message = "Simulated SIP server {Server}: malformed message from {Source}: {Fault}")]
    private static partial void LogMalformed(ILogger logger, string server, IPEndPoint source, SipParseError fault);

    [LoggerMessage(EventId = SiloEventIds.ServerOptionsIgnored, Level = LogLevel.Debug, Message = "Simulated SIP server {Server} is standby: OPTIONS for {Destination} left unanswered")]
    private static partial void LogOptionsIgnored(ILogger logger, string server, IPEndPoint destination);

    [LoggerMessage(EventId = SiloEventIds.ServerCallAnswered, Level = LogLevel.Debug, Message = "Simulated SIP server {Server} answered call {CallId}")]
    private static partial void LogCallAnswered(ILogger logger, string server, string callId);

    [LoggerMessage(EventId = SiloEventIds.ServerCallCancelled, Level = LogLevel.Debug, Message = "Simulated SIP server {Server}: call {CallId} cancelled before it was answered")]
    private static partial void LogCallCancelled(ILogger logger, string server, string callId);

    [LoggerMessage(EventId = SiloEventIds.ServerCallNeverAcknowledged, Level = LogLevel.Warning, Message = "Simulated SIP server {Server}: final response of call {CallId} never acknowledged; call dropped")]
    private static partial void LogCallNeverAcknowledged(ILogger logger, string server, string callId);

    [LoggerMessage(EventId = SiloEventIds.ServerCallTableFull, Level = LogLevel.Warning, Message = "Simulated SIP server {Server} holds {MaxCalls} calls already; INVITE answered 503")]
    private static partial void LogCallTableFull(ILogger logger, string server, int maxCalls);

    [LoggerMessage(EventId = SiloEventIds.ServerRequestSent, Level = LogLevel.Information, Message = "Simulated SIP server {Server} sent {Method} to {Destination}")]
    private static partial void LogRequestSent(ILogger logger, string server, string method, IPEndPoint destination);

    [LoggerMessage(EventId = SiloEventIds.ServerResponseUnmatched, Level = LogLevel.Debug, Message = "Simulated SIP server {Server}: {Status} response from {Source} matches no request it sent; dropped")]
    private static partial void LogResponseUnmatched(ILogger logger, string server, IPEndPoint source, int status);
}
