using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// What a response finds in the table under its client transaction's key: the live transaction, or the small tombstone
/// a finished one leaves while it lingers (<see cref="LingeringClientTransaction"/>).
/// </summary>
public interface IClientTransaction
{
    /// <summary>A response arrived for this transaction. <paramref name="response"/> is valid only during the call.</summary>
    ValueTask OnResponseAsync(SipMessage response, CancellationToken cancellationToken);
}
