using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// What a request finds in the table under its server transaction's key: the live transaction, or the small tombstone
/// a finished one leaves while it lingers (<see cref="LingeringServerTransaction"/>). Either answers alike.
/// </summary>
public interface IServerTransaction
{
    TransactionKey Key { get; }

    ISipTransport Transport { get; }

    /// <summary>Where responses go (§18.2.2, RFC 3581).</summary>
    IPEndPoint ResponseDestination { get; }

    /// <summary>A retransmission of the request arrived: re-send the last response, if any (§17.2.1, §17.2.2).</summary>
    ValueTask OnRetransmissionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// An ACK matched this INVITE transaction. True when it is absorbed here (it acknowledges our non-2xx
    /// response); false while Accepted, where an ACK for the 2xx travels end to end.
    /// </summary>
    bool OnAck();

    /// <summary>
    /// A CANCEL matched this transaction. Returns the user to pass it on to; null when there is none (not attached
    /// yet, or the transaction finished and left it behind).
    /// </summary>
    IServerTransactionUser? Cancel();
}
