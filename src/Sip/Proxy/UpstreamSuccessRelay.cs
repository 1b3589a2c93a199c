using System.Net;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Forwards to the caller the 2xx responses that reach a proxied INVITE's branch after its first (a retransmission, or
/// another fork's answer) while the branch lingers Accepted (RFC 6026 §7.2). All it keeps of the call is where the
/// server transaction sends its responses, so the call's state need not stay in memory for Timer M.
/// </summary>
internal sealed class UpstreamSuccessRelay(ISipTransport upstream, IPEndPoint responseDestination, SipMetrics metrics) : IAcceptedRelay
{
    public async ValueTask RelayAsync(SipMessage response, CancellationToken cancellationToken)
    {
        using var forwarded = ResponseForwarder.Write(response, upstream.Hop.Transport);
        if (await upstream.SendAsync(forwarded.Memory, responseDestination, cancellationToken).ConfigureAwait(false))
        {
            metrics.ResponsesForwarded.Add(1);
        }
    }
}
