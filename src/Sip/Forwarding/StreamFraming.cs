using System.Globalization;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// On TCP and TLS only Content-Length tells where a message ends (RFC 3261 §18.3), so a message that leaves on a stream
/// always carries one (§16.6 step 9 for requests). Over UDP it is optional: the datagram ends the body, and the parser
/// framed the body so. The message gets a line naming that body when it came without one.
/// </summary>
public static class StreamFraming
{
    private const int MaxLineLength = 16 + 10 + 2;

    private static ReadOnlySpan<byte> Name => "Content-Length: "u8;

    public static void AddContentLength(SipMessage message, SipTransportKind outgoing, ref MessageEdits edits)
    {
        if (!outgoing.IsStream() || message.ContentLength >= 0 || message.Headers.Count == 0)
        {
            return;
        }

        var line = edits.Reserve(MaxLineLength);
        Name.CopyTo(line);
        message.BodyLength.TryFormat(line[Name.Length..], out var digits, default, CultureInfo.InvariantCulture);
        "\r\n"u8.CopyTo(line[(Name.Length + digits)..]);

        // After the last header, where readers expect it; no other edit inserts there.
        edits.Commit(message.Headers[^1].Line.End, 0, Name.Length + digits + 2);
    }
}
