using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// The edits both cores forward a request with (RFC 3261 §16.6): our Via with the given branch on top, then the
/// hop's own edits. The stateless writer and the transaction's writer differ only in the branch (derived from the
/// request, or unique) and in where the bytes go (a pooled buffer sent once, or an array kept for retransmissions).
/// </summary>
public static class ForwardedRequestEdits
{
    public static void Apply(SipMessage request, in ForwardingPlan plan, ReadOnlySpan<byte> branch, ref MessageEdits edits)
    {
        var prefix = plan.Hop.ViaPrefix;

        // Our Via is the first edit at the first header offset, so it leads the headers in the output.
        var via = edits.Reserve(prefix.Length + branch.Length + 2);
        prefix.CopyTo(via);
        branch.CopyTo(via[prefix.Length..]);
        "\r\n"u8.CopyTo(via[(prefix.Length + branch.Length)..]);
        edits.Commit(request.HeadersOffset, 0, via.Length);

        HopEdits.Apply(request, plan, ref edits);
    }
}
