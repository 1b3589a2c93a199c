using System.Net;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// The user agent's side of one request, matched to its responses by the top Via branch (RFC 3261 §17.1.3).
/// A provisional response stops INVITE retransmissions; the first final response completes it.
/// </summary>
internal sealed class ClientTransaction(string branch)
{
    private readonly TaskCompletionSource<DemoResponse> final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool provisionalReceived;
    private volatile AckToResend? ack;

    public string Branch { get; } = branch;

    public bool ProvisionalReceived => provisionalReceived;

    public Task<DemoResponse> Final => final.Task;

    /// <summary>
    /// Set once a 2xx to an INVITE is acknowledged: that 2xx is retransmitted end to end until the server sees
    /// the ACK, and each copy gets the ACK again (§13.2.2.4), since no transaction absorbs them.
    /// </summary>
    public AckToResend? Ack
    {
        get => ack;
        set => ack = value;
    }

    /// <returns>True when the response is a final one that was already seen, i.e. a retransmission.</returns>
    public bool OnResponse(SipMessage response)
    {
        if (response.StatusCode < 200)
        {
            provisionalReceived = true;
            return false;
        }

        // Only the receive loop completes a transaction, so a completed one cannot be completed in between.
        return final.Task.IsCompleted || !final.TrySetResult(DemoResponse.From(response));
    }

    internal sealed record AckToResend(byte[] Request, IPEndPoint Destination);
}
