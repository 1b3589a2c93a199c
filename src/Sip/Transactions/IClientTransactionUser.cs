using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Transactions;

/// <summary>The transaction user of a client transaction: the proxy's response context.</summary>
public interface IClientTransactionUser
{
    /// <summary>A response the transaction passes up (§17.1). <paramref name="response"/> is valid only during the call.</summary>
    ValueTask OnResponseAsync(ClientTransaction transaction, SipMessage response, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the 2xx responses after the first while the INVITE transaction lingers Accepted (RFC 6026 §7.2); asked for
    /// once, at the first 2xx. Null: they are absorbed.
    /// </summary>
    IAcceptedRelay? AcceptedRelay => null;

    /// <summary>Timer B or F fired: the request got no final response (§17.1.1.2, §17.1.2.2).</summary>
    void OnTimeout(ClientTransaction transaction);

    /// <summary>
    /// The connection the request went over broke before a final response (§17.1.4): no response can come back
    /// on it. Users that do not care need not implement it.
    /// </summary>
    void OnTransportError(ClientTransaction transaction)
    {
    }

    /// <summary>
    /// The next hop was found down (its probes went unanswered) before a final response: it will not answer.
    /// Users that do not care need not implement it.
    /// </summary>
    void OnHopDown(ClientTransaction transaction)
    {
    }
}
