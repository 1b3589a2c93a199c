using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Forwards to the caller the 2xx responses that reach a proxied INVITE's branch after its first (a retransmission, or
/// another fork's answer) while the branch lingers Accepted (RFC 6026 §7.2). All it keeps of the call is where the
/// server transaction sends its responses, so the call's state need not stay in memory for Timer M.
/// </summary>
internal sealed class UpstreamSuccessRelay(ISipTransport upstream, IPEndPoint responseDestination, ResponseRouter responses) : IAcceptedRelay
{
    public ValueTask RelayAsync(SipMessage response, CancellationToken cancellationToken) =>
        responses.ForwardAsync(response, upstream, responseDestination, cancellationToken);
}
