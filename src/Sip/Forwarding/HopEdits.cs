using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// The edits every forwarded request gets after our Via (RFC 3261 §16.6 steps 3-6 and 9), stateless or stateful:
/// Record-Route when asked, Max-Forwards decremented (or added), our own Routes popped, the Request-URI and Route set
/// rewritten for strict routing and maddr (§16.4, §16.6 step 6, see <see cref="RouteRewrite"/>), the next-hop header removed,
/// the sender's Via stamped with where it came from (§18.2.1, RFC 3581), and a Content-Length when it leaves on a
/// stream without one (step 9).
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

        if (!plan.FlowHeaders.IsEmpty)
        {
            plan.FlowHeaders.Write(request, ref edits);
        }

        if (request.MaxForwardsHeader >= 0)
        {
            var value = request.HeaderSpan[request.MaxForwardsHeader].Value;
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

        // A strict router next takes its Route value as the Request-URI; a Request-URI restored takes the last one.
        var rewrite = plan.Rewrite;
        var leadingRoutes = plan.OwnRoutes + (rewrite.StrictRouterUri.Length > 0 ? 1 : 0);
        var lastRoute = rewrite.RestoredUri.Length > 0;
        if (leadingRoutes > 0 || lastRoute)
        {
            ListValueRemoval.RemoveLeadingAndLast(request, request.Routes, leadingRoutes, lastRoute, ref edits);
        }

        if (!rewrite.IsEmpty)
        {
            rewrite.WriteRequestUri(request, ref edits);
        }

        if (plan.RemovedHeader >= 0)
        {
            var line = request.HeaderSpan[plan.RemovedHeader].Line;
            edits.Remove(line.Offset, line.Length);
        }

        SenderStamp.Apply(request, plan.Source, plan.ArrivedOnStream, ref edits);
        StreamFraming.AddContentLength(request, plan.Hop.Transport, ref edits);
    }
}
