using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// The responses the proxy gives itself, for both cores: 100 Trying (§16.2), the refusals of §16.3 and of routing,
/// and the final answer of a proxied request no hop answered (§16.7 step 6). Each is built from the request with the
/// proxy's Server header (RFC 3261 §8.2.6), sent where that request's responses go, and, when final, counted by status.
/// </summary>
internal sealed partial class LocalAnswers
{
    private readonly ProductName product;
    private readonly int retryAfterSeconds;
    private readonly byte[] retryAfterLine;
    private readonly SipMetrics metrics;
    private readonly ILogger logger;

    /// <param name="retryAfterSeconds">What a refusal that names no time of its own asks the caller to wait.</param>
    public LocalAnswers(ProductName product, int retryAfterSeconds, SipMetrics metrics, ILogger logger)
    {
        this.product = product;
        this.retryAfterSeconds = retryAfterSeconds;
        retryAfterLine = RetryAfterLine(retryAfterSeconds);
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <summary>The To tag of the proxy's own answers, which tells the ACK of a refusal as ours.</summary>
    public LocalAnswerTag Tag { get; } = new();

    /// <summary>The proxy's own Retry-After line, or the one <paramref name="seconds"/> asks for when positive.</summary>
    public ReadOnlyMemory<byte> RetryAfter(int seconds = 0) =>
        seconds <= 0 || seconds == retryAfterSeconds ? retryAfterLine : RetryAfterLine(seconds);

    /// <summary>Routing's refusal with the Retry-After it asks for; logged, since the request goes no further.</summary>
    public ReadOnlyMemory<byte> Refusal(RouteDecision decision, IPEndPoint source, out string reasonPhrase)
    {
        reasonPhrase = decision.ReasonPhrase ?? "Not Found";
        LogRejected(logger, source, decision.StatusCode, reasonPhrase);
        return decision.RetryAfterSeconds > 0 ? RetryAfter(decision.RetryAfterSeconds) : default;
    }

    /// <summary>The refusal when the resolver failed (threw): logged with its exception, a 503 the caller may retry.</summary>
    public RouteDecision RoutingFailed(Exception exception, IPEndPoint source)
    {
        LogResolverFailed(logger, exception, source);
        return RouteDecision.Reject(503, "Service Unavailable (routing failed)", retryAfterSeconds);
    }

    /// <summary>Answers statelessly: to <paramref name="destination"/> over <paramref name="transport"/>.</summary>
    public async ValueTask AnswerAsync(SipMessage request, int statusCode, string reasonPhrase, ReadOnlyMemory<byte> extraHeaders, ISipTransport transport, IPEndPoint destination, CancellationToken cancellationToken)
    {
        using var response = ResponseFactory.Create(request, product, statusCode, reasonPhrase, extraHeaders.Span, tag: Tag);
        if (await ResponseDestination.SendAsync(transport, response.Memory, destination, cancellationToken).ConfigureAwait(false))
        {
            Count(statusCode);
        }
    }

    /// <summary>Answers through the request's server transaction, which absorbs its retransmissions with this answer.</summary>
    public async ValueTask AnswerAsync(SipMessage request, int statusCode, string reasonPhrase, ReadOnlyMemory<byte> extraHeaders, ServerTransaction server, CancellationToken cancellationToken)
    {
        using var response = ResponseFactory.Create(request, product, statusCode, reasonPhrase, extraHeaders.Span, tag: Tag);
        if (await server.SendResponseAsync(response.Memory, statusCode, cancellationToken).ConfigureAwait(false))
        {
            Count(statusCode);
        }
    }

    /// <summary>
    /// Answers from the request as forwarded: its Via, From, To, Call-ID and CSeq are the caller's, with our Via on
    /// top, which the answer then loses on its way up like any forwarded response.
    /// </summary>
    public async ValueTask AnswerForwardedAsync(byte[] forwarded, int statusCode, string reasonPhrase, ReadOnlyMemory<byte> extraHeaders, ServerTransaction server, CancellationToken cancellationToken)
    {
        var request = new SipMessage();
        SipParser.TryParse(forwarded, request, SipParseLimits.Default);
        using var own = ResponseFactory.Create(request, product, statusCode, reasonPhrase, extraHeaders.Span, tag: Tag);
        var response = new SipMessage();
        SipParser.TryParse(own.Memory, response, SipParseLimits.Default);
        using var upstream = ResponseForwarder.Write(response, server.Transport.Hop.Transport);
        if (await server.SendResponseAsync(upstream.Memory, statusCode, cancellationToken).ConfigureAwait(false))
        {
            Count(statusCode);
        }
    }

    private static byte[] RetryAfterLine(int seconds) => Encoding.ASCII.GetBytes($"Retry-After: {seconds}\r\n");

    // A provisional answer (100 Trying) only holds the caller's retransmissions: the request is still to be answered.
    private void Count(int statusCode)
    {
        if (statusCode >= 200)
        {
            metrics.RequestsAnswered.Add(1, new KeyValuePair<string, object?>("status", statusCode));
        }
    }

    [LoggerMessage(EventId = SipLogEvents.RequestRejected, Level = LogLevel.Debug, Message = "Request from {Source} answered {Status} {Reason}")]
    private static partial void LogRejected(ILogger logger, IPEndPoint source, int status, string? reason);

    [LoggerMessage(EventId = SipLogEvents.ResolverFailed, Level = LogLevel.Error, Message = "Target resolution failed for a request from {Source}; answered 503")]
    private static partial void LogResolverFailed(ILogger logger, Exception exception, IPEndPoint source);
}
