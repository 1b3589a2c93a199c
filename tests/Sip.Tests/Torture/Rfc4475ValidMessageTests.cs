using System.Net;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>
/// RFC 4475 §3.1.1: valid messages that stretch the grammar. The proxy must forward each intact: only our Via,
/// Record-Route on a dialog-creating request, Max-Forwards minus one, received= on a sender whose sent-by is not
/// its address, and our own Route popped. Messages are our own, built to exercise the same constructs.
/// </summary>
public sealed class Rfc4475ValidMessageTests : IDisposable
{
    private readonly TortureProxy proxy = new();

    public void Dispose() => proxy.Dispose();

    [Fact]
    public async Task Wsinv_WhitespaceFoldingCaseAndCompactForms_ForwardedIntact()
    {
        var request =
            "INVITE sip:bob@biloxi.example.org;oddparam SIP/2.0\n" +
            "TO :\n sip:bob@biloxi.example.org ;   tag    = 8321234356\n" +
            "from   : \"Alice \\\"the tester\\\"\" <sip:alice@atlanta.example.com>\n  ;\n  tag = 77abc\n" +
            "MaX-fOrWaRdS: 0068\n" +
            "Call-ID: tortuous.4475@192.0.2.10\n" +
            "Content-Length   : 13\n" +
            "cseq: 0009\n  INVITE\n" +
            "Via  : SIP  /   2.0\n /UDP\n    192.0.2.10;branch=z9hG4bKtort1\n" +
            "s :\n" +
            "X-Newfangled:   a value\n continued on the next line\n" +
            "X-Unusual-Value: ;;,,;;,;\n" +
            "Content-Type: application/sdp\n" +
            "Route:\n <sip:sip-proxy.example.com;lr;unknownwith=value;unknown-no-value>\n" +
            "v:  SIP  / 2.0  / TCP     relay.example.net   ;\n  branch  =   z9hG4bKtort2  ,\n SIP  /    2.0   / UDP  192.0.2.77   ; branch=\n z9hG4bKtort3\n" +
            "m:\"Quoted \\\"\\\"\" <sip:alice@atlanta.example.com> ; newparam =\n      newvalue ;\n  secondparam ; q = 0.33\n" +
            "\n" +
            "v=0\ns=tort\n";

        await proxy.AssertForwardedAsync(
            request,
            recordRoute: false,
            ("MaX-fOrWaRdS: 0068", "MaX-fOrWaRdS: 67"),
            ("192.0.2.10;branch=z9hG4bKtort1\n", "192.0.2.10;branch=z9hG4bKtort1;received=127.0.0.1\n"),
            ("Route:\n <sip:sip-proxy.example.com;lr;unknownwith=value;unknown-no-value>\n", string.Empty));
    }

    [Fact]
    public async Task Intmeth_EveryTokenCharacterInMethodUriAndHeaders_ForwardedIntact()
    {
        const string Method = "!interesting-Method0123456789_*+`.%indeed'~";
        var request =
            $"{Method} sip:1_odd.URI~(sure!)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(isn't-it)@example.com SIP/2.0\n" +
            "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~\n" +
            "To: \"BEL:\\\u0007 NUL:\\\0 DEL:\\\u007f\" <sip:1_odd.URI~(sure!)&isn't+it$/crazy?,/;;*@example.com>\n" +
            "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"\\\"knowing\\\"\";tag=_token~1'+`*%!-.\n" +
            "Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{\n" +
            $"CSeq: 139122385 {Method}\n" +
            "Max-Forwards: 255\n" +
            "extensionHeader-!.%*+_`'~:\uFEFFbinary-looking value\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(
            request,
            recordRoute: false,
            ("Max-Forwards: 255", "Max-Forwards: 254"),
            ("z9hG4bK-.!%66*_+`'~\n", "z9hG4bK-.!%66*_+`'~;received=127.0.0.1\n"));
    }

    [Fact]
    public async Task Esc01_EscapedCharactersInUris_ForwardedWithoutDecoding()
    {
        var request = Messages.WithBody(
            "INVITE sip:sips%3Acarol%40example.org@example.net SIP/2.0\n" +
            "To: sip:%63arol@example.org\n" +
            "From: <sip:with%20a%20space@example.net>;tag=e1\n" +
            "Max-Forwards: 87\n" +
            "i: esc01.2834@example.net\n" +
            "CSeq: 2 INVITE\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKesc01\n" +
            "c: application/sdp\n" +
            "Contact:\n  <sip:c%61rol@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>\n",
            Messages.Sdp);

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 87", "Max-Forwards: 86"));
    }

    [Fact]
    public async Task Escnull_EscapedNulInUserParts_ForwardedIntact()
    {
        var request =
            "REGISTER sip:example.com SIP/2.0\n" +
            "To: sip:zero-%00-zero@example.com\n" +
            "From: sip:zero-%00-zero@example.com;tag=n1\n" +
            "Call-ID: escnull.1@127.0.0.1\n" +
            "CSeq: 1 REGISTER\n" +
            "Max-Forwards: 70\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKescnull\n" +
            "Contact: <sip:%00@host5.example.com>\n" +
            "Contact: <sip:%00%00@host5.example.com>\n" +
            "L:0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Esc02_PercentThatIsNoEscape_IsAnExtensionMethodAndForwarded()
    {
        var request =
            "RE%47IST%45R sip:registrar.example.com SIP/2.0\n" +
            "To: \"%Z%45\" <sip:resource@example.com>\n" +
            "From: \"%Z%45\" <sip:resource@example.com>;tag=esc02\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKesc02\n" +
            "Call-ID: esc02.1@127.0.0.1\n" +
            "CSeq: 29 RE%47IST%45R\n" +
            "Max-Forwards: 70\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Lwsdisp_NoSpaceBetweenDisplayNameAndAngleBracket_ForwardedIntact()
    {
        var request =
            "OPTIONS sip:user@example.com SIP/2.0\n" +
            "To: sip:user@example.com\n" +
            "From: caller<sip:caller@example.com>;tag=323\n" +
            "Max-Forwards: 70\n" +
            "Call-ID: lwsdisp.1@127.0.0.1\n" +
            "CSeq: 60 OPTIONS\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKlwsdisp\n" +
            "l: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Longreq_LongValuesAnd34Vias_ForwardedIntact()
    {
        var user = new string('u', 1200);
        var tag = new string('t', 700);

        // With the top one, the 34 Via values of RFC 4475 §3.1.1.7.
        var vias = string.Join(", ", Enumerable.Range(1, 33).Select(i => $"SIP/2.0/UDP 192.0.2.{i};branch=z9hG4bKlong{i}"));
        var request = Messages.WithBody(
            $"INVITE sip:{user}@example.com SIP/2.0\n" +
            $"To: \"{new string('d', 500)}\" <sip:{user}@example.com>\n" +
            $"From: sip:caller@example.net;tag={tag}\n" +
            "Call-ID: longreq.one\n" +
            "CSeq: 1 INVITE\n" +
            "Max-Forwards: 70\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKlongtop\n" +
            $"Via: {vias}\n" +
            $"X-Long-Header: {new string('x', 4000)}\n" +
            "Content-Type: application/sdp\n",
            Messages.Sdp);

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Dblreq_SecondMessageInTheDatagram_OnlyTheFirstIsForwarded()
    {
        var register =
            "REGISTER sip:example.com SIP/2.0\n" +
            "To: sip:j.user@example.com\n" +
            "From: sip:j.user@example.com;tag=dbl1\n" +
            "Max-Forwards: 70\n" +
            "Call-ID: dblreq.1@127.0.0.1\n" +
            "CSeq: 8 REGISTER\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKdblreq\n" +
            "Content-Length: 0\n" +
            "\n";
        var invite = Messages.WithBody(
            "INVITE sip:joe@example.com SIP/2.0\n" +
            "t: sip:joe@example.com\n" +
            "From: sip:caller@example.net;tag=dbl2\n" +
            "Max-Forwards: 70\n" +
            "Call-ID: dblreq.2@127.0.0.1\n" +
            "CSeq: 9 INVITE\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKdblreq2\n" +
            "Content-Type: application/sdp\n",
            Messages.Sdp);

        await proxy.AssertForwardedAsync(register, recordRoute: false, datagramTail: invite, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Semiuri_SemicolonParametersInTheUserPart_ForwardedToTheHost()
    {
        var request =
            "OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0\n" +
            "To: sip:j_user@example.com\n" +
            "From: sip:caller@example.org;tag=33242\n" +
            "Max-Forwards: 3\n" +
            "Call-ID: semiuri.0ha0isndaksdj@127.0.0.1\n" +
            "CSeq: 8 OPTIONS\n" +
            "Accept: application/sdp, application/pkcs7-mime,\n  multipart/mixed, multipart/signed,\n  message/sip, message/sipfrag\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKsemiuri\n" +
            "l: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 3", "Max-Forwards: 2"));
        Assert.Equal("example.com", Assert.Single(proxy.Resolver.Requests).Target!.Host);
    }

    [Fact]
    public async Task Transports_UnusualTransportTokensInVia_ForwardedIntact()
    {
        var request =
            "OPTIONS sip:user@example.com SIP/2.0\n" +
            "To: sip:user@example.com\n" +
            "From: <sip:caller@example.com>;tag=323\n" +
            "Max-Forwards: 70\n" +
            "Call-ID: transports.kijh4akdnaqjkwendsasfdj\n" +
            "Accept: application/sdp\n" +
            "CSeq: 60 OPTIONS\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKtransports\n" +
            "Via: SIP/2.0/SCTP t1.example.com;branch=z9hG4bKtr1, SIP/2.0/TLS t2.example.com;branch=z9hG4bKtr2\n" +
            "Via: SIP/2.0/UNKNOWN t3.example.com;branch=z9hG4bKtr3\n" +
            "Via: SIP/2.0/TCP t4.example.com;branch=z9hG4bKtr4\n" +
            "l: 0\n" +
            "\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Mpart01_MultipartBody_ForwardedByteForByte()
    {
        var body =
            "--boundary42\n" +
            "Content-Type: application/sdp\n" +
            "\n" +
            Messages.Sdp +
            "\n" +
            "--boundary42\n" +
            "Content-Type: application/octet-stream\n" +
            "Content-Transfer-Encoding: binary\n" +
            "\n" +
            "\u0001\u0002\u0003\u007f not text\n" +
            "--boundary42--\n";
        var request = Messages.WithBody(
            "MESSAGE sip:kumiko@example.org SIP/2.0\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKmpart01\n" +
            "Max-Forwards: 70\n" +
            "From: \"Bob\" <sip:bob@example.com>;tag=a73kszlfl\n" +
            "To: \"Kumiko\" <sip:kumiko@example.org>\n" +
            "Call-ID: mpart01.1j9FpLxk3uxtm8tn@127.0.0.1\n" +
            "CSeq: 1 MESSAGE\n" +
            "Content-Type: multipart/mixed;boundary=boundary42\n",
            body);

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task Unreason_Utf8ReasonPhrase_ResponseForwardedIntact()
    {
        var response =
            "SIP/2.0 200 ça marche — très bien, 東京 * 2**3\n" +
            Messages.OurViaLine +
            "Via: SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKunreason;rport=6000;received=127.0.0.1\n" +
            "Call-ID: unreason.1234ksdfak3j2erwedfsASdf\n" +
            "CSeq: 35 INVITE\n" +
            "From: sip:user@example.com;tag=11141343\n" +
            "To: sip:user@example.edu;tag=2229\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertResponseForwardedAsync(response, TortureProxy.Caller);
    }

    [Fact]
    public async Task Noreason_EmptyReasonPhrase_ResponseForwardedIntact()
    {
        var response =
            "SIP/2.0 100 \n" +
            Messages.OurViaLine +
            "Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bKnoreason;received=192.0.2.105\n" +
            "Call-ID: noreason.asndj203insdf99223ndf\n" +
            "CSeq: 35 INVITE\n" +
            "From: <sip:user@example.com>;tag=39ansfi3\n" +
            "To: <sip:user@example.edu>;tag=902jndnke3\n" +
            "Content-Length: 0\n" +
            "\n";

        await proxy.AssertResponseForwardedAsync(response, new IPEndPoint(IPAddress.Parse("192.0.2.105"), 5060));
    }
}
