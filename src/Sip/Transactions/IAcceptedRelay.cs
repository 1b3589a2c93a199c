using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// Takes the 2xx responses that reach an INVITE client transaction after its first, while it lingers Accepted
/// (RFC 6026 §7.2, Timer M): a retransmission, or another fork's answer. It outlives the transaction user, so it keeps
/// only what passing those on needs.
/// </summary>
public interface IAcceptedRelay
{
    ValueTask RelayAsync(SipMessage response, CancellationToken cancellationToken);
}
