using System.Net;
using System.Text;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>
/// RFC 4475 §3.2 (transaction layer), §3.3 (application layer) and §3.4 (backward compatibility): messages that
/// parse but ask something of the proxy's behaviour.
/// </summary>
public sealed class Rfc4475SemanticTests : IDisposable
{
    private const string Dialogless =
        "To: <sip:j_user@example.com>\n" +
        "From: <sip:caller@example.net>;tag=242etr\n" +
        "Max-Forwards: 6\n" +
        "Call-ID: semantic.1@127.0.0.1\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKsemantic\n";

    private readonly TortureProxy proxy = new();

    public void Dispose() => proxy.Dispose();

    [Fact]
    public async Task MissingTransactionIdentifier_BranchWithoutCookie_ForwardedWithAStableBranch()
    {
        var request =
            "OPTIONS sip:user@example.com SIP/2.0\n" +
            "To: sip:user@example.com\n" +
            "From: sip:caller@example.org;tag=323\n" +
            "Max-Forwards: 70\n" +
            "Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n\n" +
            "CSeq: 8 OPTIONS\n" +
            "Via: SIP/2.0/UDP 192.0.2.8;branch=1024\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"), ("branch=1024\n", "branch=1024;received=127.0.0.1\n"));
        var first = proxy.Transport.Sent.Single().Bytes;
        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"), ("branch=1024\n", "branch=1024;received=127.0.0.1\n"));
        Assert.Equal(first, proxy.Transport.Sent.Single().Bytes);
    }

    [Fact]
    public async Task Cancel_OfAForwardedInvite_TakesTheInvitesBranch()
    {
        var invite = "INVITE sip:user@example.com SIP/2.0\n" + Dialogless + "CSeq: 1 INVITE\nl: 0\n\n";
        var cancel = "CANCEL sip:user@example.com SIP/2.0\n" + Dialogless + "CSeq: 1 CANCEL\nl: 0\n\n";

        await proxy.AssertForwardedAsync(invite, recordRoute: true, ("Max-Forwards: 6", "Max-Forwards: 5"));
        var inviteVia = TopLine(proxy.Transport.Sent.Single().Bytes);
        await proxy.AssertForwardedAsync(cancel, recordRoute: false, ("Max-Forwards: 6", "Max-Forwards: 5"));

        Assert.Equal(inviteVia, TopLine(proxy.Transport.Sent.Single().Bytes));
    }

    [Fact]
    public async Task ForwardedRequestComingBack_Gets482()
    {
        var invite = "INVITE sip:user@example.com SIP/2.0\n" + Dialogless + "CSeq: 1 INVITE\nl: 0\n\n";
        await proxy.AssertForwardedAsync(invite, recordRoute: true, ("Max-Forwards: 6", "Max-Forwards: 5"));
        // Back through another proxy, whose Via is on top of ours, and which the answer goes to.
        var forwarded = TortureProxy.Text(proxy.Transport.Sent.Single().Bytes);
        var startLineEnd = forwarded.IndexOf('\n', StringComparison.Ordinal) + 1;
        var looped = forwarded[..startLineEnd] + "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKotherproxy\n" + forwarded[startLineEnd..];

        await proxy.AssertAnsweredAsync(looped, "SIP/2.0 482 Loop Detected");
    }

    [Fact]
    public async Task NoMaxForwards_SeventyIsAdded_Rfc3261Section16_6Step3()
    {
        var request = "OPTIONS sip:user@example.com SIP/2.0\n" + Dialogless.Replace("Max-Forwards: 6\n", string.Empty, StringComparison.Ordinal) + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("OPTIONS sip:user@example.com SIP/2.0\n", "OPTIONS sip:user@example.com SIP/2.0\nMax-Forwards: 70\n"));
    }

    [Fact]
    public async Task ResponseWhoseTopViaIsNotOurs_IsDropped()
    {
        var response = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKnotours\n" + Dialogless[..Dialogless.IndexOf("Via:", StringComparison.Ordinal)] + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertDroppedAsync(response, TortureProxy.Server, "response_not_ours");
    }

    [Fact]
    public async Task ResponseWithOnlyOurVia_HasNowhereToGoAndIsDropped()
    {
        var response = "SIP/2.0 200 OK\n" + Messages.OurViaLine + Dialogless[..Dialogless.IndexOf("Via:", StringComparison.Ordinal)] + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertDroppedAsync(response, TortureProxy.Server, "response_not_ours");
    }

    [Fact]
    public async Task Insuf_MissingCallIdFromAndTo_Gets400NamingTheFirst()
    {
        var request = "INVITE sip:user@example.com SIP/2.0\nCSeq: 193942 INVITE\nVia: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKinsuf\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 400 Bad Request (Call-ID missing)");
    }

    [Theory]
    [InlineData("nobodyKnowsThisScheme:totallyopaquecontent")]
    [InlineData("soap.beep://192.0.2.103:3002")]
    [InlineData("mailto:bob@example.com")]
    public async Task UnkscmNovelsc_RequestUriOfASchemeItCannotRoute_Gets416(string requestUri)
    {
        var request = $"OPTIONS {requestUri} SIP/2.0\n" + Dialogless + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 416 Unsupported URI Scheme");
    }

    [Fact]
    public async Task TelRequestUriWithARoute_RoutesOnTheRouteAndForwards()
    {
        var request = "INVITE tel:+1-201-555-0123 SIP/2.0\nRoute: <sip:gw.example.net;lr>\n" + Dialogless + "CSeq: 1 INVITE\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 6", "Max-Forwards: 5"));
        Assert.Equal("gw.example.net", Assert.Single(proxy.Resolver.Requests).Target!.Host);
    }

    [Fact]
    public async Task Unksm2_UnknownSchemesInToFromAndContact_Forwarded()
    {
        var request =
            "REGISTER sip:example.com SIP/2.0\n" +
            "To: isbn:2983792873\n" +
            "From: <http://www.example.com>;tag=3234233\n" +
            "Call-ID: unksm2.daksdj@hyphenated-host.example.com\n" +
            "CSeq: 234902 REGISTER\n" +
            "Max-Forwards: 70\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKunksm2\n" +
            "Contact: <name:John_Smith>\n" +
            "l: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Bext01_UnknownProxyRequire_Gets420ListingItAndRequireIsIgnored()
    {
        var request = "OPTIONS sip:user@example.com SIP/2.0\n" + Dialogless + "CSeq: 8 OPTIONS\nRequire: nothingSupportsThis, nothingSupportsThisEither\nProxy-Require: noProxiesSupportThis\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 420 Bad Extension");
        Assert.Contains("\nUnsupported: noProxiesSupportThis\n", TortureProxy.Text(proxy.Transport.Sent.Single().Bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Type: application/unknownformat\n")]
    [InlineData("Authorization: NoOneKnowsThisScheme opaque-data=here\n")]
    [InlineData("Accept: text/nobodyKnowsThis\n")]
    [InlineData("Require: nothingSupportsThis\n")]
    public async Task InvutRegaut01Sdp01_HeadersOnlyTheUasReads_Forwarded(string header)
    {
        var request = Messages.WithBody("INVITE sip:user@example.com SIP/2.0\n" + Dialogless + "CSeq: 8 INVITE\n" + header, "<body>binary or not, not ours to read</body>\n");

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 6", "Max-Forwards: 5"));
    }

    [Theory]
    [InlineData("Call-ID: semantic.1@127.0.0.1\n", "Call-ID: semantic.1@127.0.0.1\nCall-ID: other@127.0.0.1\n", "Call-ID repeated")]
    [InlineData("To: <sip:j_user@example.com>\n", "To: <sip:j_user@example.com>\nt: <sip:other@example.com>\n", "To repeated")]
    [InlineData("From: <sip:caller@example.net>;tag=242etr\n", "From: <sip:caller@example.net>;tag=242etr\nFrom: <sip:other@example.net>;tag=x\n", "From repeated")]
    [InlineData("Max-Forwards: 6\n", "Max-Forwards: 6\nMax-Forwards: 60\n", "Max-Forwards repeated")]
    [InlineData("l: 0\n", "l: 0\nCSeq: 9 OPTIONS\n", "CSeq repeated")]
    [InlineData("l: 0\n", "l: 0\nContent-Length: 4\n", "Content-Length values disagree")]
    public async Task Multi01Mcl01_SingleValueHeaderGivenTwice_Gets400(string original, string repeated, string fault)
    {
        var request = ("OPTIONS sip:user@example.com SIP/2.0\n" + Dialogless + "CSeq: 8 OPTIONS\nl: 0\n\nbody").Replace(original, repeated, StringComparison.Ordinal);

        await proxy.AssertAnsweredAsync(request, $"SIP/2.0 400 Bad Request ({fault})");
    }

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.1.75")]
    [InlineData("0.0.0.0")]
    [InlineData("[ff02::1]")]
    public async Task Bcast_ResponseBoundForABroadcastOrMulticastVia_IsDropped(string sentBy)
    {
        var response = $"SIP/2.0 200 OK\n{Messages.OurViaLine}Via: SIP/2.0/UDP {sentBy};branch=z9hG4bKbcast\n" + Dialogless[..Dialogless.IndexOf("Via:", StringComparison.Ordinal)] + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertDroppedAsync(response, TortureProxy.Server, "response_not_ours");
    }

    [Fact]
    public async Task Zeromf_MaxForwardsZero_Gets483()
    {
        var request = "INVITE sip:user@example.com SIP/2.0\n" + Dialogless.Replace("Max-Forwards: 6", "Max-Forwards: 0", StringComparison.Ordinal) + "CSeq: 1 INVITE\nl: 0\n\n";

        await proxy.AssertAnsweredAsync(request, "SIP/2.0 483 Too Many Hops");
    }

    [Theory]
    [InlineData("Contact: <sip:+19725552222@gw1.example.net;unknownparam>;expires=3600\n")]
    [InlineData("Contact: sip:+19725552222@gw1.example.net;unknownparam\n")]
    [InlineData("Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>\n")]
    [InlineData("Contact: *\nExpires: 0\n")]
    public async Task Cparam01Cparam02RegescrtWildcard_RegisterContacts_Forwarded(string contact)
    {
        var request = "REGISTER sip:example.com SIP/2.0\n" + Dialogless + "CSeq: 8 REGISTER\n" + contact + "l: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 6", "Max-Forwards: 5"));
    }

    [Fact]
    public async Task Inv2543_Rfc2543Syntax_ForwardedWithAFallbackBranchAndMaxForwards()
    {
        var request = Messages.WithBody(
            "INVITE sip:UserB@example.com SIP/2.0\n" +
            "Via: SIP/2.0/UDP iftgw.example.com\n" +
            "From: <sip:+13035551111@ift.client.example.net;user=phone>\n" +
            "Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>\n" +
            "To: sip:+16505552222@ss1.example.net;user=phone\n" +
            "Call-ID: inv2543.1717@ift.client.example.com\n" +
            "CSeq: 56 INVITE\n" +
            "Content-Type: application/sdp\n",
            Messages.Sdp);

        await proxy.AssertForwardedAsync(
            request,
            recordRoute: true,
            ("INVITE sip:UserB@example.com SIP/2.0\n", "INVITE sip:UserB@example.com SIP/2.0\nMax-Forwards: 70\n"),
            ("Via: SIP/2.0/UDP iftgw.example.com\n", "Via: SIP/2.0/UDP iftgw.example.com;received=127.0.0.1\n"));
    }

    private static string TopLine(byte[] forwarded)
    {
        var text = Encoding.ASCII.GetString(forwarded);
        var start = text.IndexOf("\r\n", StringComparison.Ordinal) + 2;
        return text[start..text.IndexOf("\r\n", start, StringComparison.Ordinal)];
    }
}
