using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// A client transaction past its final response: an INVITE one Completed (Timer D) answers each retransmitted
/// non-2xx final with its ACK again; an INVITE one Accepted (RFC 6026, Timer M) hands every later 2xx to its relay;
/// a non-INVITE one Completed (Timer K) absorbs retransmitted finals.
/// </summary>
public sealed class LingeringClientTransaction : LingeringTransaction, IClientTransaction
{
    private readonly IAcceptedRelay? relay;

    internal LingeringClientTransaction(TransactionKey key, byte[]? ack, IAcceptedRelay? relay, ISipTransport transport, IPEndPoint destination)
        : base(key, ack, transport, destination) =>
        this.relay = relay;

    public async ValueTask OnResponseAsync(SipMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (Message is { } ack && status >= 300)
        {
            // A retransmitted final: our ACK was lost.
            await Transport.SendAsync(ack, Destination, cancellationToken).ConfigureAwait(false);
        }
        else if (relay is not null && status is >= 200 and < 300)
        {
            await relay.RelayAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }
}
