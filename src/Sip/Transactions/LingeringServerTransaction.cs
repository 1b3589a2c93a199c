using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// A server transaction past its final response: a non-INVITE one Completed (Timer J), or one that gave up
/// unanswered (RFC 4320), re-sends its last response to each retransmission; an INVITE one Confirmed (Timer I)
/// absorbs retransmissions and ACKs; an INVITE one Accepted (RFC 6026, Timer L) absorbs retransmissions and lets
/// ACKs for its 2xx pass end to end.
/// </summary>
public sealed class LingeringServerTransaction : LingeringTransaction, IServerTransaction
{
    private readonly bool absorbsAck;

    internal LingeringServerTransaction(TransactionKey key, byte[]? lastResponse, bool absorbsAck, ISipTransport transport, IPEndPoint responseDestination)
        : base(key, lastResponse, transport, responseDestination) =>
        this.absorbsAck = absorbsAck;

    public IPEndPoint ResponseDestination => Destination;

    public async ValueTask OnRetransmissionAsync(CancellationToken cancellationToken)
    {
        if (Message is { } resend)
        {
            await Transport.SendAsync(resend, Destination, cancellationToken).ConfigureAwait(false);
        }
    }

    public bool OnAck() => absorbsAck;

    /// <summary>Too late to cancel (§9.2): the caller has its final response.</summary>
    public IServerTransactionUser? Cancel() => null;
}
