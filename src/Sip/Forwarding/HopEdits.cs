using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// The edits every forwarded request gets after our Via (RFC 3261 §16.6 steps 3-5), stateless or stateful:
/// Record-Route when asked, Max-Forwards decremented (or added), our own Routes popped, the next-hop header removed.
/// </summary>
public static class HopEdits
{
    private const int DefaultMaxForwards = 70;

    public static void Apply(SipMessage request, in ForwardingPlan plan, ref MessageEdits edits)
    {
        if (!plan.RecordRoute.IsEmpty)
        {
            edits.Insert(request.HeadersOffset, plan.RecordRoute.Span);
        }

        if (request.MaxForwardsHeader >= 0)
        {
            var value = request.Headers[request.MaxForwardsHeader].Value;
            var digits = edits.Reserve(3);
            (request.MaxForwards - 1).TryFormat(digits, out var written);
            edits.Commit(value.Offset, value.Length, written);
        }
        else
        {
            var line = edits.Reserve(24);
            // §16.6 step 3: a request without Max-Forwards gets one of 70, not 70 already decremented.
            System.Text.Unicode.Utf8.TryWrite(line, $"Max-Forwards: {DefaultMaxForwards}\r\n", out var written);
            edits.Commit(request.HeadersOffset, 0, written);
        }

        if (plan.OwnRoutes > 0)
        {
            ListValueRemoval.RemoveLeading(request, request.Routes, plan.OwnRoutes, ref edits);
        }

        if (plan.RemovedHeader >= 0)
        {
            var line = request.Headers[plan.RemovedHeader].Line;
            edits.Remove(line.Offset, line.Length);
        }
    }
}
