using System.Diagnostics.CodeAnalysis;
using System.Net;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// RFC 3261 §16.7 for both cores: a response comes back along Via. The top Via must be ours (our sent-by, a branch we
/// made); it is popped, and the Via below names where the response goes and over which transport (§18.2.2). The
/// stateless core sends it there; the stateful core sends it through the server transaction, whose destination was
/// fixed when the request came.
/// </summary>
internal sealed class ResponseRouter
{
    private static readonly KeyValuePair<string, object?> DropResponseNotOurs = new("reason", "response_not_ours");
    private static readonly KeyValuePair<string, object?> DropResponseNoListener = new("reason", "response_no_listener");

    private readonly ProxyIdentity identity;
    private readonly SipMetrics metrics;

    public ResponseRouter(ProxyIdentity identity, SipMetrics metrics)
    {
        this.identity = identity;
        this.metrics = metrics;
    }

    /// <summary>Where a response that matches no transaction goes: the address the Via below ours names, over our listener for its transport.</summary>
    /// <param name="dropReason">Why it goes nowhere (not ours, or no listener for it), as counted in messages.dropped.</param>
    public bool TryRoute(SipMessage response, ISipTransport arrivedOn, [NotNullWhen(true)] out ISipTransport? outbound, [NotNullWhen(true)] out IPEndPoint? destination, out KeyValuePair<string, object?> dropReason)
    {
        outbound = null;
        if (!IsOurVia(response) || !ResponseForwarder.TryGetDestination(response, out destination, out var viaTransport))
        {
            destination = null;
            dropReason = DropResponseNotOurs;
            return false;
        }

        // The response goes back over the transport the request came on, which its Via names (§18.2.2).
        outbound = identity.SelectTransport(arrivedOn, viaTransport, destination);
        dropReason = DropResponseNoListener;
        return outbound is not null;
    }

    /// <summary>Pops our Via and sends the response to <paramref name="destination"/>, counted when it left.</summary>
    public async ValueTask ForwardAsync(SipMessage response, ISipTransport outbound, IPEndPoint destination, CancellationToken cancellationToken)
    {
        using var forwarded = ResponseForwarder.Write(response, outbound.Hop.Transport);
        if (await ResponseDestination.SendAsync(outbound, forwarded.Memory, destination, cancellationToken).ConfigureAwait(false))
        {
            metrics.ResponsesForwarded.Add(1);
        }
    }

    /// <summary>
    /// Pops our Via and sends the response through <paramref name="server"/>. A 2xx the transaction takes no more
    /// (after our own final, or another fork's 2xx) still reaches the caller, statelessly: the dialog exists now, and
    /// only the caller can end it (RFC 6026 §7.2).
    /// </summary>
    public async ValueTask ForwardAsync(SipMessage response, ServerTransaction server, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        using var forwarded = ResponseForwarder.Write(response, server.Transport.Hop.Transport);
        if (await server.SendResponseAsync(forwarded.Memory, status, cancellationToken).ConfigureAwait(false)
            || (status is >= 200 and < 300 && await ResponseDestination.SendAsync(server.Transport, forwarded.Memory, server.ResponseDestination, cancellationToken).ConfigureAwait(false)))
        {
            metrics.ResponsesForwarded.Add(1);
        }
    }

    private bool IsOurVia(SipMessage response)
    {
        return response.TryGetTopVia(out var text, out var via)
            && identity.IsOwnSentBy(text, via)
            && response.TopViaBranch.IsPresent
            && BranchGenerator.IsOwnBranch(response[response.TopViaBranch]);
    }
}
