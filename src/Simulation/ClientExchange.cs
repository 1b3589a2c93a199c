using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Simulation;

/// <summary>
/// The transaction user of one request a simulated user agent sent: waits for the final response that the
/// client transaction passes up, and, once the 2xx of an INVITE has been acknowledged, answers each retransmitted
/// 2xx with the same ACK (RFC 3261 §13.2.2.4), which is the user agent's job, not the transaction's.
/// </summary>
internal sealed class ClientExchange : IClientTransactionUser, IAcceptedRelay
{
    private readonly TaskCompletionSource<ReceivedResponse?> final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile AckToResend? ack;

    public ClientTransaction? Transaction { get; set; }

    /// <summary>Null when no final response came: the transaction timed out or its send failed.</summary>
    public Task<ReceivedResponse?> Final => final.Task;

    /// <summary>Called with each provisional response, from the receive loop.</summary>
    public Action<ReceivedResponse>? OnProvisional { get; init; }

    /// <summary>The exchange itself: a simulated user agent keeps its calls, so nothing is saved by handing over less.</summary>
    public IAcceptedRelay AcceptedRelay => this;

    public void Acknowledged(byte[] request, IPEndPoint destination) => ack = new AckToResend(request, destination);

    public void Fail() => final.TrySetResult(null);

    public async ValueTask OnResponseAsync(ClientTransaction transaction, SipMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode < 200)
        {
            OnProvisional?.Invoke(ReceivedResponse.From(response));
            return;
        }

        if (final.TrySetResult(ReceivedResponse.From(response)))
        {
            return;
        }

        if (response.StatusCode < 300)
        {
            await RelayAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A retransmitted 2xx (or a second one from a fork): our ACK was lost.</summary>
    public async ValueTask RelayAsync(SipMessage response, CancellationToken cancellationToken)
    {
        if (ack is { } resend && Transaction is { } transaction)
        {
            await transaction.Transport.SendAsync(resend.Request, resend.Destination, cancellationToken).ConfigureAwait(false);
        }
    }

    public void OnTimeout(ClientTransaction transaction) => final.TrySetResult(null);

    public void OnTransportError(ClientTransaction transaction) => final.TrySetResult(null);

    private sealed record AckToResend(byte[] Request, IPEndPoint Destination);
}
