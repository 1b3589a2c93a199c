using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>RFC 5118: IPv6 references in Request-URIs, Via, Route and bodies.</summary>
public sealed class Rfc5118Ipv6Tests : IDisposable
{
    private const string Rest =
        "To: <sip:user@[2001:db8::10]>\n" +
        "From: <sip:user@example.com>;tag=81x2\n" +
        "Call-ID: ipv6.SSG9559905523997077@hlau_4100\n" +
        "Max-Forwards: 70\n" +
        "Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111\n";

    private readonly TortureProxy proxy = new();

    public void Dispose() => proxy.Dispose();

    [Fact]
    public async Task Ipv6Good_BracketedAddressesEverywhere_ForwardedToTheRequestUriHost()
    {
        var request = "REGISTER sip:[2001:db8::10] SIP/2.0\n" + Rest + "CSeq: 98176 REGISTER\nContact: \"Caller\" <sip:caller@[2001:db8::9:1]>\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"), ("z9hG4bKas3-111\n", "z9hG4bKas3-111;received=127.0.0.1\n"));
        Assert.Equal(new NextHop("2001:db8::10", 5060, IPAddress.Parse("2001:db8::10")) { PortIsDefault = true }, Assert.Single(proxy.Resolver.Requests).Target);
    }

    [Theory]
    [InlineData("REGISTER sip:2001:db8::10 SIP/2.0", "CSeq: 1 REGISTER", "malformed Request-URI")]
    [InlineData("INVITE sip:user@[2001:db8::10::1] SIP/2.0", "CSeq: 1 INVITE", "malformed Request-URI")]
    [InlineData("INVITE sip:user@[2001:db8:1:2:3:4:5:6:7] SIP/2.0", "CSeq: 1 INVITE", "malformed Request-URI")]
    [InlineData("INVITE sip:user@[2001:db8:::1] SIP/2.0", "CSeq: 1 INVITE", "malformed Request-URI")]
    public async Task Ipv6Bad_UnbracketedOrInvalidAddress_Gets400(string requestLine, string cseq, string fault)
    {
        await proxy.AssertAnsweredAsync(requestLine + "\n" + Rest + cseq + "\nl: 0\n\n", $"SIP/2.0 400 Bad Request ({fault})");
    }

    [Fact]
    public async Task Ipv6Bad_UnbracketedAddressInTo_Gets400()
    {
        var request = "OPTIONS sip:[2001:db8::10] SIP/2.0\n" + Rest.Replace("To: <sip:user@[2001:db8::10]>", "To: sip:user@2001:db8::10", StringComparison.Ordinal) + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (malformed To)");
    }

    [Theory]
    [InlineData("sip:user@[2001:db8::10:5070]", "2001:db8::10:5070", 5060)]
    [InlineData("sip:user@[2001:db8::10]:5070", "2001:db8::10", 5070)]
    [InlineData("sip:user@[::ffff:192.0.2.10]", "::ffff:192.0.2.10", 5060)]
    [InlineData("sip:user@[2001:db8::192.0.2.1]", "2001:db8::192.0.2.1", 5060)]
    public async Task PortAmbiguousUnambiguousMappedAndAbnfBug_ValidReferences_RouteOnTheAddress(string requestUri, string host, int port)
    {
        var request = $"OPTIONS {requestUri} SIP/2.0\n" + Rest + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"), ("z9hG4bKas3-111\n", "z9hG4bKas3-111;received=127.0.0.1\n"));
        var target = Assert.Single(proxy.Resolver.Requests).Target!;
        Assert.Equal((host, port, IPAddress.Parse(host)), (target.Host, target.Port, target.Address));
    }

    [Theory]
    [InlineData("[2001:db8:::192.0.2.1]")]
    [InlineData("[2001:db8::192.0.2.1]")]
    public async Task Rfc5118_4_10_ThreeColonsOfTheRfc3261AbnfAndTwo_BothToleratedAndRoutedToTheAddress(string reference)
    {
        var request =
            $"OPTIONS sip:user@{reference} SIP/2.0\n" +
            $"To: sip:user@{reference}\n" +
            "From: sip:user@example.com;tag=810x2\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKas3-111\n" +
            "Call-ID: G9559905523997077@hlau_4100\n" +
            "CSeq: 689 OPTIONS\n" +
            "Max-Forwards: 70\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
        Assert.Equal(IPAddress.Parse("2001:db8::192.0.2.1"), Assert.Single(proxy.Resolver.Requests).Target!.Address);
    }

    [Theory]
    [InlineData("received=[2001:db8::9:255]")]
    [InlineData("received=2001:db8::9:255")]
    public async Task ViaReceivedWithAndWithoutBrackets_RequestForwardedAndResponseFindsTheSender(string received)
    {
        var request = "OPTIONS sip:user@[2001:db8::10] SIP/2.0\n" + Rest.Replace("z9hG4bKas3-111", $"z9hG4bKas3-111;{received}", StringComparison.Ordinal) + "CSeq: 1 OPTIONS\nl: 0\n\n";
        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));

        var response = $"SIP/2.0 200 OK\n{Messages.OurViaLine}Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111;{received}\n" +
            "To: <sip:user@[2001:db8::10]>;tag=s1\nFrom: <sip:user@example.com>;tag=81x2\nCall-ID: ipv6.SSG9559905523997077@hlau_4100\nCSeq: 1 OPTIONS\nl: 0\n\n";
        await proxy.AssertResponseForwardedAsync(response, new IPEndPoint(IPAddress.Parse("2001:db8::9:255"), 5060));
    }

    [Fact]
    public async Task ViaSentByWithPort_ResponseGoesToThatAddressAndPort()
    {
        var response = $"SIP/2.0 180 Ringing\n{Messages.OurViaLine}Via: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111\n" +
            "To: <sip:user@[2001:db8::10]>;tag=s1\nFrom: <sip:user@example.com>;tag=81x2\nCall-ID: ipv6.2\nCSeq: 1 INVITE\nl: 0\n\n";

        await proxy.AssertResponseForwardedAsync(response, new IPEndPoint(IPAddress.Parse("2001:db8::9:1"), 6050));
    }

    [Fact]
    public async Task MultIpInHeaderAndSdp_MixedFamilies_ForwardedToTheIpv6Route()
    {
        var body =
            "v=0\n" +
            "o=bob 280744730 28977631 IN IP4 192.0.2.130\n" +
            "s=-\n" +
            "c=IN IP4 192.0.2.130\n" +
            "t=0 0\n" +
            "m=audio 22334 RTP/AVP 0\n" +
            "c=IN IP6 2001:db8::1\n" +
            "m=video 6060 RTP/AVP 34\n" +
            "a=rtpmap:0 PCMU/8000\n";
        var request = Messages.WithBody(
            "INVITE sip:user@example.com SIP/2.0\n" +
            "Route: <sip:[2001:db8::20];lr>, <sip:192.0.2.50;lr>\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKmultip, SIP/2.0/UDP [2001:db8::9:255];branch=z9hG4bK2;received=192.0.2.5\n" +
            "To: <sip:user@example.com>\n" +
            "From: <sip:user@[2001:db8::9:1]>;tag=81x2\n" +
            "Call-ID: multip.SSG95523997077@hlau_4100\n" +
            "Max-Forwards: 70\n" +
            "CSeq: 1 INVITE\n" +
            "Contact: <sip:user@[2001:db8::9:1]>, <sip:user@192.0.2.5>\n" +
            "Content-Type: application/sdp\n",
            body);

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 70", "Max-Forwards: 69"));
        Assert.Equal(new NextHop("2001:db8::20", 5060, IPAddress.Parse("2001:db8::20")) { PortIsDefault = true }, Assert.Single(proxy.Resolver.Requests).Target);
    }
}
