using System.Text;

namespace OrleansProxy.Sip.Tests.Torture;

internal static class Messages
{
    /// <summary>Our Via as a forwarded request carried it: the sent-by of <see cref="Support.Hops.Proxy"/> and a branch of our format.</summary>
    public const string OurViaLine = "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop0123456789abcdef.0123456789abcdef\n";

    public const string Sdp =
        "v=0\n" +
        "o=caller 53655765 2353687637 IN IP4 192.0.2.1\n" +
        "s=-\n" +
        "c=IN IP4 192.0.2.1\n" +
        "t=0 0\n" +
        "m=audio 49170 RTP/AVP 0\n" +
        "a=rtpmap:0 PCMU/8000\n";

    /// <summary>Headers (each ending in "\n") followed by a Content-Length that counts <paramref name="body"/> as sent on the wire.</summary>
    public static string WithBody(string headers, string body) =>
        $"{headers}Content-Length: {Encoding.UTF8.GetByteCount(body.Replace("\n", "\r\n", StringComparison.Ordinal))}\n\n{body}";
}
