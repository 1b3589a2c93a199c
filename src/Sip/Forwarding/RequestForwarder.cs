using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Writes a request for its next hop (RFC 3261 §16.6) by editing the original bytes: our Via on top with a
/// stateless branch, Max-Forwards decremented, our own Routes popped, Record-Route added when asked, and
/// received/rport on the sender's Via (§18.2.1, RFC 3581) so the response can find its way back.
/// </summary>
public static class RequestForwarder
{
    public static PooledBuffer Write(SipMessage request, in ForwardingPlan plan)
    {
        Span<MessageEdits.Edit> editSlots = stackalloc MessageEdits.Edit[32];
        Span<byte> scratch = stackalloc byte[1024];
        var edits = new MessageEdits(editSlots, scratch);
        Span<byte> branch = stackalloc byte[BranchGenerator.BranchLength];
        var branchLength = BranchGenerator.Write(request, plan.LoopHash ?? BranchGenerator.LoopHash(request), branch);
        ForwardedRequestEdits.Apply(request, plan, branch[..branchLength], ref edits);

        var original = request.Span[..request.FramedLength];
        var buffer = new PooledBuffer(original.Length + edits.Delta);
        buffer.Length = edits.WriteTo(original, buffer.Free);
        return buffer;
    }
}
