using System.Net;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>
/// RFC 4475 §3.1.2: syntactically invalid messages. A request the proxy must read to route gets 400 whose
/// reason names the fault (505 for another version); an invalid response is dropped and counted. Faults in
/// headers a proxy does not read (Date, Contact) pass through, as the robustness principle asks.
/// </summary>
public sealed class Rfc4475InvalidMessageTests : IDisposable
{
    private const string Headers =
        "To: sip:j.user@example.com\n" +
        "From: sip:caller@example.net;tag=134161461246\n" +
        "Max-Forwards: 7\n" +
        "Call-ID: invalid.1@127.0.0.1\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKinvalid\n";

    private readonly TortureProxy proxy = new();

    public void Dispose() => proxy.Dispose();

    [Fact]
    public async Task Badinv01_EmptyViaElementsBetweenSeparators_Gets400()
    {
        var request =
            "INVITE sip:user@example.com SIP/2.0\n" +
            "To: sip:j.user@example.com\n" +
            "From: sip:caller@example.net;tag=134161461246\n" +
            "Max-Forwards: 7\n" +
            "Call-ID: badinv01.0ha0isndaksdjasdf3234nas\n" +
            "CSeq: 8 INVITE\n" +
            "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\n" +
            "Contact: \"Joe\" <sip:joe@example.org>;;;;\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (malformed Via)");
    }

    [Fact]
    public async Task Clerr_ContentLengthLargerThanTheDatagram_Gets400()
    {
        var request = "INVITE sip:user@example.com SIP/2.0\n" + Headers + "CSeq: 8 INVITE\nContent-Type: application/sdp\nContent-Length: 9999\n\n" + Messages.Sdp;

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (Content-Length larger than the message)");
    }

    [Fact]
    public async Task Ncl_NegativeContentLength_Gets400()
    {
        var request = "INVITE sip:user@example.com SIP/2.0\n" + Headers + "CSeq: 8 INVITE\nContent-Length: -999\n\n" + Messages.Sdp;

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (Content-Length not a number)");
    }

    [Fact]
    public async Task Scalar02_MaxForwardsOver255_Gets400()
    {
        var request = "REGISTER sip:example.com SIP/2.0\n" + Headers.Replace("Max-Forwards: 7", "Max-Forwards: 300", StringComparison.Ordinal) + "CSeq: 8 REGISTER\nContent-Length: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (Max-Forwards over 255)");
    }

    [Fact]
    public async Task Scalar02_CSeqNumberBeyond32Bits_Gets400()
    {
        var request = "REGISTER sip:example.com SIP/2.0\n" + Headers + "CSeq: 36893488147419103232 REGISTER\nExpires: 10000000000000000000\nContent-Length: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (CSeq number not below 2**31)");
    }

    [Fact]
    public async Task Scalarlg_ResponseWithOverlargeCSeq_IsDropped()
    {
        var response =
            "SIP/2.0 503 Service Unavailable\n" +
            Messages.OurViaLine +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKscalarlg\n" +
            "To: <sip:user@example.com>;tag=2easdjfejw\n" +
            "From: <sip:other@example.net>;tag=3342436\n" +
            "Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r\n" +
            "CSeq: 36893488147419103231 REGISTER\n" +
            "Retry-After: 18446744073709551625\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertDroppedAsync(response, TortureProxy.Server, "malformed_response");
    }

    [Fact]
    public async Task Bigcode_StatusCodeOfTenDigits_ResponseDropped()
    {
        var response =
            "SIP/2.0 4294967301 better not break the receiver\n" +
            Messages.OurViaLine +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKbigcode\n" +
            "Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i\n" +
            "CSeq: 353494 INVITE\n" +
            "From: <sip:user@example.com>;tag=39ansfi3\n" +
            "To: <sip:user@example.edu>;tag=902jndnke3\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertDroppedAsync(response, TortureProxy.Server, "malformed_response");
    }

    [Fact]
    public async Task Quotbal_UnterminatedQuotedDisplayName_Gets400()
    {
        var request =
            "INVITE sip:user@example.com SIP/2.0\n" +
            "To: \"Mr. J. User <sip:j.user@example.com>\n" +
            Headers[(Headers.IndexOf('\n', StringComparison.Ordinal) + 1)..] +
            "CSeq: 8 INVITE\nContent-Length: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (malformed To)");
    }

    [Theory]
    [InlineData("INVITE <sip:user@example.com> SIP/2.0", "malformed Request-URI")]
    [InlineData("INVITE sip:user@example.com; lr SIP/2.0", "malformed Request-URI")]
    [InlineData("INVITE  sip:user@example.com  SIP/2.0", "malformed Request-URI")]
    [InlineData("INVITE sip:user@example.com SIP/2.0 ", "malformed start line")]
    [InlineData("INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0", "Request-URI carries headers")]
    [InlineData("INVITE sip:user@[2001:db8::10 SIP/2.0", "malformed Request-URI")]
    [InlineData("INVITE sip:user@example.com:0 SIP/2.0", "malformed Request-URI")]
    public async Task LtgtruriLwsruriLwsstartTrwsEscruri_BadRequestLine_Gets400NamingIt(string requestLine, string fault)
    {
        var request = requestLine + "\n" + Headers + "CSeq: 8 INVITE\nContent-Length: 0\n\n";

        await proxy.AssertAnsweredAsync(request, $"SIP/2.0 400 Bad Request ({fault})");
    }

    [Fact]
    public async Task Baddate_NonGmtDate_IsNotReadByAProxyAndForwarded()
    {
        var request = "INVITE sip:user@example.com SIP/2.0\n" + Headers + "CSeq: 8 INVITE\nDate: Fri, 01 Jan 2010 16:00:00 EST\nContent-Length: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 7", "Max-Forwards: 6"));
    }

    [Fact]
    public async Task Regbadct_UnbracketedContactWithHeaders_IsLeftToTheRegistrarAndForwarded()
    {
        var request = "REGISTER sip:example.com SIP/2.0\n" + Headers + "CSeq: 8 REGISTER\nContact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 7", "Max-Forwards: 6"));
    }

    [Theory]
    [InlineData("To: sip:user@example.com>", "malformed To")]
    [InlineData("To: <sip:user@example.com", "malformed To")]
    [InlineData("To: <sip:user@example.com> junk", "malformed To")]
    [InlineData("To: sip:user@example.com, sip:other@example.com", "malformed To")]
    public async Task Badaspec_UnbalancedAngleBrackets_Gets400(string to, string fault)
    {
        var request = "OPTIONS sip:user@example.com SIP/2.0\n" + to + "\n" + Headers[(Headers.IndexOf('\n', StringComparison.Ordinal) + 1)..] + "CSeq: 8 OPTIONS\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, $"SIP/2.0 400 Bad Request ({fault})");
    }

    [Fact]
    public async Task Baddn_UnquotedDisplayNameWithComma_Gets400()
    {
        var request = "OPTIONS sip:t.watson@example.org SIP/2.0\n" +
            Headers.Replace("From: sip:caller@example.net;tag=134161461246", "From: Bell, Alexander <sip:a.g.bell@example.com>;tag=43", StringComparison.Ordinal) +
            "CSeq: 8 OPTIONS\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (malformed From)");
    }

    [Fact]
    public async Task Badvers_SipVersion7_Gets505()
    {
        var request = "OPTIONS sip:t.watson@example.org SIP/7.0\n" + Headers + "CSeq: 8 OPTIONS\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 505 Version Not Supported");
    }

    [Theory]
    [InlineData("OPTIONS")]
    [InlineData("NEWMETHOD")]
    public async Task Mismatch01Mismatch02_CSeqNamesAnotherMethod_Gets400(string method)
    {
        var request = $"{method} sip:user@example.com SIP/2.0\n" + Headers + "CSeq: 8 INVITE\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (CSeq method does not match the request method)");
    }

    [Fact]
    public async Task MalformedAck_IsNeverAnswered_DroppedAndCounted()
    {
        var request = "ACK sip:user@example.com SIP/2.0\n" + Headers.Replace("Max-Forwards: 7", "Max-Forwards: x", StringComparison.Ordinal) + "CSeq: 8 ACK\nl: 0\n\n";

        await proxy.AssertDroppedAsync(request, TortureProxy.Caller, "malformed_request_unanswerable");
    }

    [Fact]
    public async Task NoViaAtAll_CannotBeAnswered_DroppedAndCounted()
    {
        var request = "OPTIONS sip:user@example.com SIP/2.0\n" + Headers.Replace("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKinvalid\n", string.Empty, StringComparison.Ordinal) + "CSeq: 8 OPTIONS\nl: 0\n\n";

        await proxy.AssertDroppedAsync(request, new IPEndPoint(IPAddress.Loopback, 6001), "malformed_request_unanswerable");
    }
}
