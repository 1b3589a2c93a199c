using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Stamps the sender's Via of a forwarded request with where it really came from (RFC 3261 §18.2.1, RFC 3581 §4), so
/// that the responses, which carry that Via back, reach a sender whose sent-by is a private or wrong address.
/// </summary>
public static class SenderStamp
{
    private const int MaxAddressLength = 45;

    /// <summary>
    /// Adds received= when sent-by is not the packet's source address, and fills an empty rport with the source port.
    /// A sender on a connection always gets both, so its response goes back on that connection.
    /// </summary>
    public static void Apply(SipMessage request, IPEndPoint source, bool onStream, ref MessageEdits edits)
    {
        if (!request.TryGetTopVia(out var text, out var via))
        {
            return;
        }

        var topVia = request.ViaSpan[0].Value;

        // Formatted once, for the comparison with sent-by and for received=.
        Span<byte> addressText = stackalloc byte[MaxAddressLength];
        var address = source.Address.TryFormat(addressText, out var addressLength) ? addressText[..addressLength] : default;
        var rport = request.TopViaRport;
        var hasRport = rport.IsPresent;
        var hostIsSource = IsAddressOf(SipUri.HostWithoutBrackets(text[via.Host]), address, source.Address);
        var hasReceived = request.TopViaReceived.IsPresent;
        if (hasRport && rport.Length == 0)
        {
            var port = edits.Reserve(6);
            port[0] = (byte)'=';
            source.Port.TryFormat(port[1..], out var written);
            edits.Commit(rport.End, 0, written + 1);
        }
        else if (!hasRport && onStream)
        {
            var port = edits.Reserve(12);
            ";rport="u8.CopyTo(port);
            source.Port.TryFormat(port[7..], out var written);
            edits.Commit(topVia.End, 0, written + 7);
            hasRport = true;
        }

        if ((!hostIsSource || hasRport) && !hasReceived)
        {
            var received = edits.Reserve(10 + MaxAddressLength);
            ";received="u8.CopyTo(received);
            address.CopyTo(received[10..]);
            edits.Commit(topVia.End, 0, 10 + address.Length);
        }
    }

    /// <summary>
    /// Compares sent-by with the packet's source as text, so no address object is built per request. Only an IPv6
    /// literal spelled other than the canonical form (case, zeros) is parsed to decide.
    /// </summary>
    /// <param name="formatted">The source address as text; empty when it did not fit.</param>
    private static bool IsAddressOf(ReadOnlySpan<byte> host, ReadOnlySpan<byte> formatted, IPAddress source)
    {
        if (!formatted.IsEmpty && System.Text.Ascii.EqualsIgnoreCase(host, formatted))
        {
            return true;
        }

        return host.Contains((byte)':') && IPAddress.TryParse(host, out var address) && address.Equals(source);
    }
}
