using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>Test messages written as readable text with "\n" line ends, turned into CRLF wire bytes.</summary>
internal static class SipText
{
    public const string Invite =
        "INVITE sip:service@127.0.0.1:5060 SIP/2.0\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport\n" +
        "Max-Forwards: 70\n" +
        "To: Service <sip:service@127.0.0.1:5060>\n" +
        "From: \"Alice, the caller\" <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
        "Call-ID: a84b4c76e66710@127.0.0.1\n" +
        "CSeq: 314159 INVITE\n" +
        "Contact: <sip:alice@127.0.0.1:6000>\n" +
        "X-Custom: kept as it is\n" +
        "Content-Type: application/sdp\n" +
        "Content-Length: 5\n" +
        "\n" +
        "v=0\n";

    public const string Ringing =
        "SIP/2.0 180 Ringing\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop0000000000000000.0000000000000000\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1\n" +
        "To: Service <sip:service@127.0.0.1:5060>;tag=a6c85cf\n" +
        "From: \"Alice, the caller\" <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
        "Call-ID: a84b4c76e66710@127.0.0.1\n" +
        "CSeq: 314159 INVITE\n" +
        "Content-Length: 0\n" +
        "\n";

    public static byte[] Wire(string text) => Encoding.ASCII.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);

    public static SipMessage Parse(string text, SipParseLimits? limits = null)
    {
        var message = new SipMessage();
        SipParser.TryParse(Wire(text), message, limits ?? SipParseLimits.Default);
        return message;
    }

    public static string Of(this SipMessage message, TextRange range) => Encoding.ASCII.GetString(message[range]);

    /// <summary>The value of the first header with that exact name, or null.</summary>
    public static string? Header(this SipMessage message, string name)
    {
        foreach (var header in message.Headers)
        {
            if (message.Of(header.Name) == name)
            {
                return message.Of(header.Value);
            }
        }

        return null;
    }
}
