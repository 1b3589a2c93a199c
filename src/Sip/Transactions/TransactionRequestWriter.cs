using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// Writes a request for a client transaction (RFC 3261 §16.6) by editing the original bytes: our Via with a
/// unique branch on top, Max-Forwards decremented, our own Routes popped, Record-Route added when asked, and
/// received/rport on the sender's Via as the stateless path writes them (§18.2.1, RFC 3581): the next hop sees
/// where the request really came from. The output is an array the transaction keeps for retransmissions, ACK and CANCEL.
/// </summary>
public static class TransactionRequestWriter
{
    public static byte[] Write(SipMessage request, in ForwardingPlan plan)
    {
        Span<MessageEdits.Edit> editSlots = stackalloc MessageEdits.Edit[32];
        Span<byte> scratch = stackalloc byte[1024];
        var edits = new MessageEdits(editSlots, scratch);
        Span<byte> branch = stackalloc byte[BranchGenerator.BranchLength];
        ForwardedRequestEdits.Apply(request, plan, branch[..UniqueBranch.Write(request, branch)], ref edits);

        var original = request.Span[..request.FramedLength];
        var output = new byte[original.Length + edits.Delta];
        edits.WriteTo(original, output);
        return output;
    }

    /// <summary>
    /// The branch of our Via in a request written here for <paramref name="hop"/>, for the transaction key and
    /// <see cref="UniqueBranch.Renew"/> on a retry: our Via leads the headers, right after the start line (and after
    /// any line breaks the sender put before it, which are forwarded as they came).
    /// </summary>
    public static Span<byte> BranchOf(byte[] request, LocalHop hop)
    {
        var startLine = request.AsSpan().IndexOfAnyExcept((byte)'\r', (byte)'\n');
        var headers = startLine + request.AsSpan(startLine).IndexOf((byte)'\n') + 1;
        return request.AsSpan(headers + hop.ViaPrefix.Length, BranchGenerator.BranchLength);
    }
}
