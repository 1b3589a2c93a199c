using System.Net;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip;

namespace OrleansProxy.Simulation;

/// <summary>
/// A user agent that places calls through a proxy over UDP: INVITE with SDP in a src/Sip client transaction
/// (retransmitted per Timer A), ACK, a hold, BYE (Timer E). Calls run at once; responses find their
/// transaction by Via branch. Loose routing is assumed, as every RFC 3261 proxy does it.
/// </summary>
public sealed partial class SimulatedCaller : IAsyncDisposable
{
    // RFC 4566's example port: no media flows, the offer only has to look like one.
    private const int MediaPort = 49172;

    private readonly SipEndpoint endpoint;
    private readonly SimulatedCallerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;
    private readonly string instance = Guid.NewGuid().ToString("N")[..8];
    private readonly string localUri;
    private readonly string serviceUri;
    private readonly byte[] sdp;
    private int nextCall;

    private SimulatedCaller(IPEndPoint local, IPEndPoint proxy, SimulatedCallerOptions options, TimeProvider time, ILogger logger)
    {
        Proxy = proxy;
        this.options = options;
        this.time = time;
        this.logger = logger;
        metrics = new SipMetrics();
        try
        {
            endpoint = SipEndpoint.Bind(local, onRequest: null, options.Timers, options.MaxTransactions, time, logger, metrics);
        }
        catch
        {
            metrics.Dispose();
            throw;
        }

        localUri = $"sip:caller@{endpoint.HostPort}";
        serviceUri = $"sip:{options.ServiceUser}@{SipAddresses.HostPort(proxy)}";
        sdp = SessionDescription.Create(endpoint.EndPoint.Address, MediaPort, time.GetUtcNow().ToUnixTimeSeconds());
    }

    public IPEndPoint LocalEndPoint => endpoint.EndPoint;

    /// <summary>Where every INVITE goes; ACK and BYE follow the dialog's route set.</summary>
    public IPEndPoint Proxy { get; }

    /// <param name="local">The caller's own address; port 0 picks a free port.</param>
    /// <param name="proxy">Where INVITEs go (<c>sip:service@proxy</c>); for a test, a server itself.</param>
    public static SimulatedCaller Bind(IPEndPoint local, IPEndPoint proxy, SimulatedCallerOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        var caller = new SimulatedCaller(local, proxy, options ?? SimulatedCallerOptions.Default, time ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SimulatedCaller>());
        LogStarted(caller.logger, caller.LocalEndPoint, caller.serviceUri, proxy);
        return caller;
    }

    /// <summary>One whole call with the configured hold time. Never throws for a SIP failure; the result says what went wrong.</summary>
    public Task<CallResult> PlaceCallAsync(CancellationToken cancellationToken) => PlaceCallAsync(options.HoldTime, cancellationToken);

    /// <summary>One whole call: INVITE, ACK, <paramref name="hold"/>, BYE.</summary>
    public async Task<CallResult> PlaceCallAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        var attempt = await InviteAsync(cancellationToken).ConfigureAwait(false);
        if (attempt.Call is not { } call)
        {
            return Logged(attempt.Failed);
        }

        if (hold > TimeSpan.Zero)
        {
            await Task.Delay(hold, time, cancellationToken).ConfigureAwait(false);
        }

        var byeStatus = await HangUpAsync(call, cancellationToken).ConfigureAwait(false);
        var failure = byeStatus switch
        {
            0 => $"no final response to BYE within {options.ByeTimeout.TotalMilliseconds:0} ms",
            >= 200 and < 300 => null,
            _ => $"BYE answered {byeStatus}",
        };
        return Logged(new CallResult(call.Number, call.CallId, failure is null, 200, byeStatus, failure, call.AnsweredBy, call.StartedAt, call.SetupTime, time.GetElapsedTime(call.Started)));
    }

    /// <summary>Sends an INVITE and, on a 2xx, its ACK. A non-2xx is acknowledged by the client transaction itself.</summary>
    public async Task<CallAttempt> InviteAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref nextCall);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var invite = new OutgoingRequest("INVITE", serviceUri, SipEndpoint.NewBranch(), 1)
        {
            SentBy = endpoint.HostPort,
            FromLine = $"From: <{localUri}>;tag={instance}{number.ToString("x", CultureInfo.InvariantCulture)}\r\n",
            ToLine = $"To: <{serviceUri}>\r\n",
            CallId = $"{instance}-{number.ToString(CultureInfo.InvariantCulture)}@{endpoint.HostPort}",
            Contact = $"<{localUri}>",
            Sdp = sdp,
        };
        var exchange = new ClientExchange();
        var answer = await endpoint.SendAsync(exchange, invite, Proxy, options.InviteTimeout, cancellationToken).ConfigureAwait(false);
        var setupTime = time.GetElapsedTime(started);
        if (answer is null)
        {
            return Failed(0, $"no final response to INVITE within {options.InviteTimeout.TotalMilliseconds:0} ms");
        }

        if (!answer.IsSuccess)
        {
            return Failed(answer.StatusCode, $"INVITE answered {answer.StatusCode} {answer.ReasonPhrase}");
        }

        if (Dialog.TryCreate(invite, answer, Proxy) is not { } dialog)
        {
            return Failed(answer.StatusCode, "2xx without Contact: no target for ACK and BYE");
        }

        var ack = dialog.Request("ACK", invite.CSeq, endpoint.HostPort).ToBytes();
        exchange.Acknowledged(ack, dialog.NextHop);
        await endpoint.SendRawAsync(ack, dialog.NextHop, cancellationToken).ConfigureAwait(false);
        return new CallAttempt(answer.StatusCode, new EstablishedCall(number, startedAt, started, setupTime, dialog, answer.ContactEndPoint), null);

        CallAttempt Failed(int status, string reason) =>
            new(status, null, reason) { Failed = new CallResult(number, invite.CallId, false, status, 0, reason, null, startedAt, setupTime, setupTime) };
    }

    /// <summary>Ends <paramref name="call"/> with a BYE along its route set.</summary>
    /// <returns>The BYE's final status code; 0 when none came.</returns>
    public async Task<int> HangUpAsync(EstablishedCall call, CancellationToken cancellationToken)
    {
        var bye = call.Dialog.Request("BYE", call.Dialog.InviteCSeq + 1, endpoint.HostPort);
        var answer = await endpoint.SendAsync(new ClientExchange(), bye, call.Dialog.NextHop, options.ByeTimeout, cancellationToken).ConfigureAwait(false);
        return answer?.StatusCode ?? 0;
    }

    /// <summary>
    /// Starts <paramref name="calls"/> calls paced at <paramref name="callsPerSecond"/>, none later than
    /// <paramref name="maxDuration"/> after the first, and waits for all of them; each is bounded by the INVITE and BYE time-outs.
    /// </summary>
    /// <param name="onCallCompleted">Called as each call ends, from the thread that ended it.</param>
    /// <returns>Results in the order the calls were started.</returns>
    public async Task<IReadOnlyList<CallResult>> RunLoadAsync(int calls, double callsPerSecond, TimeSpan maxDuration, Action<CallResult>? onCallCompleted, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callsPerSecond);
        var started = time.GetTimestamp();
        var running = new List<Task<CallResult>>(Math.Min(calls, 1024));
        for (var i = 0; i < calls && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / callsPerSecond);
            if (due > maxDuration)
            {
                break;
            }

            var wait = due - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            running.Add(PlaceAndReportAsync(onCallCompleted, cancellationToken));
        }

        return await Task.WhenAll(running).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await endpoint.DisposeAsync().ConfigureAwait(false);
        metrics.Dispose();
    }

    private async Task<CallResult> PlaceAndReportAsync(Action<CallResult>? onCallCompleted, CancellationToken cancellationToken)
    {
        var result = await PlaceCallAsync(cancellationToken).ConfigureAwait(false);
        onCallCompleted?.Invoke(result);
        return result;
    }

    private CallResult Logged(CallResult result)
    {
        if (!result.Succeeded)
        {
            LogCallFailed(logger, result.CallNumber, result.FailureReason);
        }

        return result;
    }

    [LoggerMessage(EventId = SimulationLogEvents.CallerStarted, Level = LogLevel.Information, Message = "Simulated caller on {LocalEndPoint} calls {ServiceUri} via {Proxy}")]
    private static partial void LogStarted(ILogger logger, IPEndPoint localEndPoint, string serviceUri, IPEndPoint proxy);

    [LoggerMessage(EventId = SimulationLogEvents.CallFailed, Level = LogLevel.Information, Message = "Call {CallNumber} failed: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, int callNumber, string? reason);
}
