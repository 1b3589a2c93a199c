using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// The edits every forwarded request gets after our Via (RFC 3261 §16.6 steps 3-5), stateless or stateful:
/// Record-Route when asked, Max-Forwards decremented (or added), our own Route popped.
/// </summary>
public static class HopEdits
{
    private const int DefaultMaxForwards = 70;

    /// <param name="routeToPop">Index into the request's Route values of our own entry, or -1.</param>
    public static void Apply(SipMessage request, LocalHop hop, bool addRecordRoute, int routeToPop, ref MessageEdits edits)
    {
        if (addRecordRoute)
        {
            edits.Insert(request.HeadersOffset, hop.RecordRouteLine);
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
            System.Text.Unicode.Utf8.TryWrite(line, $"Max-Forwards: {DefaultMaxForwards - 1}\r\n", out var written);
            edits.Commit(request.HeadersOffset, 0, written);
        }

        if (routeToPop >= 0)
        {
            ListValueRemoval.Remove(request, request.Routes, routeToPop, ref edits);
        }
    }
}
