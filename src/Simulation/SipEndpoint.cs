using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Simulation;

/// <summary>
/// One simulated SIP peer's UDP socket: src/Sip's listener, its transaction table, and the client transactions
/// of the requests the peer sends. Requests that arrive go to the owner; responses go to the client
/// transaction they belong to (by top Via branch and CSeq method).
/// </summary>
internal sealed partial class SipEndpoint : ISipMessageHandler, IAsyncDisposable
{
    private static readonly string Instance = Guid.NewGuid().ToString("N")[..8];
    private static long nextBranch;

    private readonly UdpListener listener;
    private readonly Func<SipMessage, IPEndPoint, CancellationToken, ValueTask>? onRequest;
    private readonly ILogger logger;

    private SipEndpoint(UdpListener listener, Func<SipMessage, IPEndPoint, CancellationToken, ValueTask>? onRequest, TransactionTimers timers, int capacity, TimeProvider time, ILogger logger)
    {
        this.listener = listener;
        this.onRequest = onRequest;
        this.logger = logger;
        Timers = timers;
        Time = time;
        Table = new TransactionTable(capacity, time);
        HostPort = SipAddresses.HostPort(listener.Hop.EndPoint);
    }

    public IPEndPoint EndPoint => listener.Hop.EndPoint;

    /// <summary>host:port as this peer writes itself in Via and Contact.</summary>
    public string HostPort { get; }

    public ISipTransport Transport => listener;

    public TransactionTable Table { get; }

    public TransactionTimers Timers { get; }

    public TimeProvider Time { get; }

    /// <param name="onRequest">Gets every request, malformed ones too (<see cref="SipMessage.Error"/> set); null drops requests.</param>
    public static SipEndpoint Bind(
        IPEndPoint endPoint,
        Func<SipMessage, IPEndPoint, CancellationToken, ValueTask>? onRequest,
        TransactionTimers timers,
        int capacity,
        TimeProvider time,
        ILogger logger,
        SipMetrics metrics)
    {
        var listener = UdpListener.Bind(endPoint, logger, metrics);
        var sipEndpoint = new SipEndpoint(listener, onRequest, timers, capacity, time, logger);
        listener.Start(sipEndpoint, maxPending: 1024);
        return sipEndpoint;
    }

    public static string NewBranch() => $"{Encoding.ASCII.GetString(Via.MagicCookie)}-sim{Instance}-{Interlocked.Increment(ref nextBranch)}";

    /// <summary>
    /// Sends <paramref name="request"/> in a client transaction (retransmitted over UDP per Timer A or E) and waits
    /// for its final response at most <paramref name="timeout"/> (an INVITE that got a provisional has no Timer B).
    /// </summary>
    public async Task<ReceivedResponse?> SendAsync(ClientExchange exchange, OutgoingRequest request, IPEndPoint destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var bytes = request.ToBytes();
        var key = TransactionKey.ForClient(Encoding.ASCII.GetBytes(request.Branch), Encoding.ASCII.GetBytes(request.Method));
        var transaction = new ClientTransaction(key, request.Method == "INVITE", bytes, destination, listener, Table, Timers, exchange);
        exchange.Transaction = transaction;
        if (!await transaction.StartAsync(cancellationToken).ConfigureAwait(false))
        {
            exchange.Fail();
        }

        try
        {
            return await exchange.Final.WaitAsync(timeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            if (exchange.Final.Status != TaskStatus.RanToCompletion || exchange.Final.Result is null)
            {
                transaction.Terminate();
            }
        }
    }

    /// <summary>Sends a datagram outside any transaction: an ACK for a 2xx, which is end to end.</summary>
    public ValueTask<bool> SendRawAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken) =>
        listener.SendAsync(message, destination, cancellationToken);

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        // One message object per datagram: a handler may still hold one while the loop parses the next.
        var message = new SipMessage();
        var wellFormed = SipParser.TryParse(data, message, SipParseLimits.Default);
        if (message.Error == SipParseError.Empty)
        {
            return;
        }

        if (message.IsRequest)
        {
            if (onRequest is not null)
            {
                await onRequest(message, source, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!wellFormed)
        {
            LogMalformedResponse(logger, EndPoint, source, message.Error);
            return;
        }

        if (TransactionKey.TryForResponse(message, out var key) && Table.TryGetClient(key, out var client))
        {
            await client!.OnResponseAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        LogResponseUnmatched(logger, EndPoint, message.StatusCode, source);
    }

    /// <summary>Ends every transaction, so nothing more is retransmitted: the process froze or died.</summary>
    public void Silence() => Table.TerminateAll();

    public async ValueTask DisposeAsync()
    {
        Table.TerminateAll();
        await listener.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = SimulationLogEvents.MalformedDropped, Level = LogLevel.Debug, Message = "{EndPoint}: malformed response from {Source} dropped ({Error})")]
    private static partial void LogMalformedResponse(ILogger logger, IPEndPoint endPoint, IPEndPoint source, SipParseError error);

    [LoggerMessage(EventId = SimulationLogEvents.ResponseUnmatched, Level = LogLevel.Debug, Message = "{EndPoint}: {Status} response from {Source} matches no request; dropped")]
    private static partial void LogResponseUnmatched(ILogger logger, IPEndPoint endPoint, int status, IPEndPoint source);
}
