using System.Text;

namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <summary>Valid messages of each shape the proxy handles, to mutate from.</summary>
internal static class SeedCorpus
{
    public static IReadOnlyList<byte[]> Messages { get; } =
    [
        Wire(
            "INVITE sip:bob@biloxi.example.com SIP/2.0\n" +
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport, SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK2\n" +
            "Max-Forwards: 70\n" +
            "Route: <sip:127.0.0.1:5060;lr>, <sip:p2.example.com;lr>\n" +
            "To: Bob <sip:bob@biloxi.example.com>\n" +
            "From: \"Alice \\\"A\\\", the caller\" <sip:alice@atlanta.example.com>;tag=1928301774\n" +
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n" +
            "CSeq: 314159 INVITE\n" +
            "Contact: <sip:alice@pc33.atlanta.example.com>\n" +
            "Proxy-Require: \n" +
            "Subject: folded\n  over two lines\n" +
            "Content-Type: application/sdp\n" +
            "Content-Length: 36\n" +
            "\n" +
            "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n"),
        Wire(
            "SIP/2.0 200 OK\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop0123456789abcdef.0123456789abcdef\n" +
            "v: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bK776;received=[2001:db8::9:255];rport=6051\n" +
            "To: <sip:bob@biloxi.example.com>;tag=a6c85cf\n" +
            "f: <sip:alice@atlanta.example.com>;tag=1928301774\n" +
            "i: a84b4c76e66710\n" +
            "CSeq: 314159 INVITE\n" +
            "l: 0\n" +
            "\n"),
        Wire(
            "REGISTER sips:[2001:db8::10]:5061;transport=tls SIP/2.0\n" +
            "Via: SIP/2.0/TLS 192.0.2.4;branch=z9hG4bKnashds7;maddr=192.0.2.5;ttl=1\n" +
            "Max-Forwards: 0068\n" +
            "To: sip:user;par=u%40example.net@example.com\n" +
            "From: token ~name <tel:+1-201-555-0123>;tag=456248\n" +
            "Call-ID: 843817637684230@998sdasdh09\n" +
            "CSeq: 1826 REGISTER\n" +
            "Contact: *\n" +
            "Expires: 0\n" +
            "\n"),
    ];

    private static byte[] Wire(string text) => Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
}
