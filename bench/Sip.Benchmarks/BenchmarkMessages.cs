using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>Real-looking messages as a softphone, a SIP server and a registering phone send them.</summary>
internal static class BenchmarkMessages
{
    public static byte[] Invite { get; } = Wire(
        "INVITE sip:+4930123456@pbx.example.com;user=phone SIP/2.0\n" +
        "Via: SIP/2.0/UDP 192.0.2.33:5062;branch=z9hG4bK-524287-1---7f5c3a1de1d2e33f;rport\n" +
        "Max-Forwards: 70\n" +
        "Contact: <sip:alice@192.0.2.33:5062;transport=udp>\n" +
        "To: <sip:+4930123456@pbx.example.com;user=phone>\n" +
        "From: \"Alice Example\" <sip:alice@pbx.example.com>;tag=8f7e6d5c\n" +
        "Call-ID: ZDg4YjY1OTRlYzA0NWM3ZTVhNzQ3YjE0ZGQ2ZTY3ZTk\n" +
        "CSeq: 1 INVITE\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\n" +
        "Content-Type: application/sdp\n" +
        "Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri\n" +
        "User-Agent: Example Softphone 5.1.2 rv2.10.1\n" +
        "Content-Length: 299\n" +
        "\n" +
        "v=0\n" +
        "o=- 13245678 1 IN IP4 192.0.2.33\n" +
        "s=Example Softphone 5.1.2\n" +
        "c=IN IP4 192.0.2.33\n" +
        "t=0 0\n" +
        "m=audio 53798 RTP/AVP 9 8 0 101\n" +
        "a=rtpmap:9 G722/8000\n" +
        "a=rtpmap:8 PCMA/8000\n" +
        "a=rtpmap:0 PCMU/8000\n" +
        "a=rtpmap:101 telephone-event/8000\n" +
        "a=fmtp:101 0-15\n" +
        "a=sendrecv\n" +
        "a=rtcp:53799\n" +
        "a=ptime:20\n" +
        "a=maxptime:150\n");

    public static byte[] OkWithSdp { get; } = Wire(
        "SIP/2.0 200 OK\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop3f2a1b0c9d8e7f6a.0123456789abcdef\n" +
        "Via: SIP/2.0/UDP 192.0.2.33:5062;branch=z9hG4bK-524287-1---7f5c3a1de1d2e33f;rport=5062;received=192.0.2.33\n" +
        "Record-Route: <sip:127.0.0.1:5060;lr>\n" +
        "To: <sip:+4930123456@pbx.example.com;user=phone>;tag=as5b1c2d3e\n" +
        "From: \"Alice Example\" <sip:alice@pbx.example.com>;tag=8f7e6d5c\n" +
        "Call-ID: ZDg4YjY1OTRlYzA0NWM3ZTVhNzQ3YjE0ZGQ2ZTY3ZTk\n" +
        "CSeq: 1 INVITE\n" +
        "Server: Example PBX 18.2\n" +
        "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE\n" +
        "Supported: replaces, timer\n" +
        "Contact: <sip:+4930123456@198.51.100.10:5060>\n" +
        "Content-Type: application/sdp\n" +
        "Content-Length: 245\n" +
        "\n" +
        "v=0\n" +
        "o=root 1845162314 1845162314 IN IP4 198.51.100.10\n" +
        "s=Example PBX\n" +
        "c=IN IP4 198.51.100.10\n" +
        "t=0 0\n" +
        "m=audio 17544 RTP/AVP 8 101\n" +
        "a=rtpmap:8 PCMA/8000\n" +
        "a=rtpmap:101 telephone-event/8000\n" +
        "a=fmtp:101 0-16\n" +
        "a=ptime:20\n" +
        "a=maxptime:150\n" +
        "a=sendrecv\n");

    public static byte[] Register { get; } = Wire(
        "REGISTER sip:pbx.example.com SIP/2.0\n" +
        "Via: SIP/2.0/UDP 192.0.2.40:5060;branch=z9hG4bK1a2b3c4d5e;rport\n" +
        "Max-Forwards: 70\n" +
        "From: <sip:1001@pbx.example.com>;tag=4b3a2c1d\n" +
        "To: <sip:1001@pbx.example.com>\n" +
        "Call-ID: 1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718@192.0.2.40\n" +
        "CSeq: 27 REGISTER\n" +
        "Contact: <sip:1001@192.0.2.40:5060;transport=udp>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-0004f2a1b2c3>\";expires=3600\n" +
        "User-Agent: Example Deskphone 7.4\n" +
        "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, NOTIFY, REFER, MESSAGE\n" +
        "Supported: path, gruu, outbound\n" +
        "Expires: 3600\n" +
        "Content-Length: 0\n" +
        "\n");

    public static byte[] BadRegister { get; } = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Register).Replace("Max-Forwards: 70", "Max-Forwards: many", StringComparison.Ordinal));

    /// <summary>Fails the run at once if a message does not parse whole, so no figure is taken on an error path.</summary>
    public static void CheckWellFormed()
    {
        foreach (var (name, bytes) in new[] { (nameof(Invite), Invite), (nameof(OkWithSdp), OkWithSdp), (nameof(Register), Register) })
        {
            var message = new SipMessage();
            if (!SipParser.TryParse(bytes, message, SipParseLimits.Default) || message.FramedLength != bytes.Length)
            {
                throw new InvalidOperationException($"{name} ({bytes.Length} bytes) is not a whole well-formed message: {message.Error}, framed {message.FramedLength}");
            }
        }
    }

    private static byte[] Wire(string text) => Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
}
