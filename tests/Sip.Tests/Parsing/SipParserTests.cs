using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Parsing;

public sealed class SipParserTests
{
    [Fact]
    public void TryParse_Invite_ReadsWhatAProxyNeeds()
    {
        var message = SipText.Parse(SipText.Invite);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.True(message.IsRequest);
        Assert.Equal(SipMethod.Invite, message.Method);
        Assert.Equal("sip:service@127.0.0.1:5060", message.Of(message.RequestUri));
        Assert.Single(message.Vias);
        Assert.Equal(70, message.MaxForwards);
        Assert.Equal("a84b4c76e66710@127.0.0.1", message.Of(message.CallId));
        Assert.Equal(314159, message.CSeqNumber);
        Assert.Equal(SipMethod.Invite, message.CSeqMethod);
        Assert.Equal("1928301774", message.Of(message.FromTag));
        Assert.False(message.ToTag.IsPresent);
        Assert.Equal(5, message.ContentLength);
        Assert.Equal("v=0\r\n", message.Of(new TextRange(message.BodyOffset, message.BodyLength)));
        Assert.Equal("kept as it is", message.Header("X-Custom"));
    }

    [Fact]
    public void TryParse_Response_ReadsStatusAndMethodFromCSeq()
    {
        var message = SipText.Parse(SipText.Ringing);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.False(message.IsRequest);
        Assert.Equal(180, message.StatusCode);
        Assert.Equal("Ringing", message.Of(message.ReasonPhrase));
        Assert.Equal(SipMethod.Invite, message.Method);
        Assert.Equal(2, message.Vias.Count);
        Assert.Equal("a6c85cf", message.Of(message.ToTag));
    }

    [Fact]
    public void TryParse_ResponseWithoutReasonPhrase_IsAccepted()
    {
        var message = SipText.Parse(SipText.Ringing.Replace("SIP/2.0 180 Ringing", "SIP/2.0 180", StringComparison.Ordinal));

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal(180, message.StatusCode);
        Assert.Equal(0, message.ReasonPhrase.Length);
    }

    [Fact]
    public void TryParse_CompactFormsAndMixedCase_AreRecognised()
    {
        var text = "OPTIONS sip:127.0.0.1 SIP/2.0\n" +
                   "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\n" +
                   "f: <sip:a@b>;tag=x\n" +
                   "t: <sip:c@d>\n" +
                   "i: cid\n" +
                   "cseq: 1 OPTIONS\n" +
                   "MAX-FORWARDS: 10\n" +
                   "l: 0\n\n";

        var message = SipText.Parse(text);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Single(message.Vias);
        Assert.Equal("cid", message.Of(message.CallId));
        Assert.Equal(10, message.MaxForwards);
        Assert.Equal(0, message.ContentLength);
        Assert.Equal(SipMethod.Options, message.Method);
    }

    [Fact]
    public void TryParse_FoldedHeader_JoinsContinuationLines()
    {
        var text = SipText.Invite.Replace("X-Custom: kept as it is\n", "X-Custom: first\n  second\n", StringComparison.Ordinal);

        var message = SipText.Parse(text);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal("first\r\n  second", message.Header("X-Custom"));
    }

    [Fact]
    public void TryParse_CommaJoinedAndRepeatedVias_ListsEveryValueTopFirst()
    {
        var text = SipText.Invite.Replace(
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport\n",
            "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa, SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKb\nVia: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKc\n",
            StringComparison.Ordinal);

        var message = SipText.Parse(text);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal(
            ["SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa", "SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKb", "SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKc"],
            message.Vias.Select(v => message.Of(v.Value)));
    }

    [Fact]
    public void Rfc3261_20_42_TryParse_TopVia_IsParsedOnceWithItsBranch()
    {
        var text = SipText.Invite.Replace(
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport\n",
            "Via: SIP/2.0/UDP 10.0.0.1:5070;rport;branch=z9hG4bKa, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKb\n",
            StringComparison.Ordinal);

        var message = SipText.Parse(text);

        Assert.True(message.TryGetTopVia(out var viaText, out var via));
        Assert.Equal("10.0.0.1", Encoding.ASCII.GetString(viaText[via.Host]));
        Assert.Equal(5070, via.Port);
        Assert.Equal("z9hG4bKa", message.Of(message.TopViaBranch));
    }

    [Fact]
    public void Rfc3581_TryParse_TopViaParameters_FirstOfEachNameCountsAndLowerViasAreNotRead()
    {
        var text = SipText.Invite.Replace(
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport\n",
            "Via: SIP/2.0/UDP 10.0.0.1:5070 ; RPort ;Received = 192.0.2.7;BRANCH=z9hG4bKa;rport=9;received=192.0.2.8, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKb;rport=7\n",
            StringComparison.Ordinal);

        var message = SipText.Parse(text);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal("z9hG4bKa", message.Of(message.TopViaBranch));
        Assert.True(message.TopViaRport.IsPresent);
        Assert.Equal(0, message.TopViaRport.Length);
        Assert.Equal("192.0.2.7", message.Of(message.TopViaReceived));
    }

    [Fact]
    public void Rfc3581_TryParse_TopViaWithoutRportOrReceived_HasNeither()
    {
        var message = SipText.Parse(SipText.Invite.Replace(";rport\n", "\n", StringComparison.Ordinal));

        Assert.Equal("z9hG4bK776asdhds", message.Of(message.TopViaBranch));
        Assert.False(message.TopViaRport.IsPresent);
        Assert.False(message.TopViaReceived.IsPresent);
    }

    [Fact]
    public void Rfc3261_20_42_TryParse_TopViaWithoutBranch_HasNoBranchRange()
    {
        var message = SipText.Parse(SipText.Invite.Replace(";branch=z9hG4bK776asdhds", string.Empty, StringComparison.Ordinal));

        Assert.True(message.HasWellFormedTopVia);
        Assert.False(message.TopViaBranch.IsPresent);
    }

    [Fact]
    public void Rfc3261_20_42_TryParse_MalformedTopVia_IsViaMalformedWithoutTopVia()
    {
        var message = SipText.Parse(SipText.Invite.Replace("Via: SIP/2.0/UDP 127.0.0.1:6000", "Via: SIP/2.0/UDP 127.0.0.1:port", StringComparison.Ordinal));

        Assert.Equal(SipParseError.ViaMalformed, message.Error);
        Assert.False(message.TryGetTopVia(out _, out _));
        Assert.False(message.TopViaBranch.IsPresent);
    }

    [Fact]
    public void Rfc3261_20_42_TryParse_MalformedSecondVia_IsViaMalformed()
    {
        var message = SipText.Parse(SipText.Invite.Replace(";rport\n", ";rport, SIP/2.0/UDP\n", StringComparison.Ordinal));

        Assert.Equal(SipParseError.ViaMalformed, message.Error);
        Assert.True(message.HasWellFormedTopVia);
    }

    [Fact]
    public void Rfc3261_20_20_TryParse_FromTagAfterQuotedDisplayName_IsFound()
    {
        var message = SipText.Parse(SipText.Invite.Replace("\"Alice, the caller\"", "\"Alice \\\"the ;tag=no\\\" <x>\"", StringComparison.Ordinal));

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal("1928301774", message.Of(message.FromTag));
    }

    [Fact]
    public void Rfc3261_19_1_1_TryParseUri_RequestUriIsTheParsersReadingAndAnyOtherRangeItsOwn()
    {
        var message = SipText.Parse(SipText.Invite);

        Assert.True(message.TryParseUri(message.RequestUri, out var uri));
        Assert.Equal("127.0.0.1", Encoding.ASCII.GetString(message[message.RequestUri][uri.Host]));
        Assert.Equal(5060, uri.Port);

        // Any other range is parsed from its own text: the user part alone is no URI.
        Assert.False(message.TryParseUri(new TextRange(message.RequestUri.Offset + 4, "service".Length), out _));
    }

    [Fact]
    public void Rfc3261_7_3_1_TryParse_WhitespaceBeforeTheColon_IsNotPartOfTheName()
    {
        var message = SipText.Parse(SipText.Invite.Replace("X-Custom: kept", "X-Custom \t: kept", StringComparison.Ordinal));

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal("kept as it is", message.Header("X-Custom"));
    }

    [Fact]
    public void TryParse_RouteList_SplitsOnCommasOutsideAngleBrackets()
    {
        var text = SipText.Invite.Replace("X-Custom: kept as it is\n", "Route: <sip:p1.example.com;lr>, \"A, B\" <sip:p2.example.com;lr>\nRoute: <sip:p3;lr>\n", StringComparison.Ordinal);

        var message = SipText.Parse(text);

        Assert.Equal(["<sip:p1.example.com;lr>", "\"A, B\" <sip:p2.example.com;lr>", "<sip:p3;lr>"], message.Routes.Select(r => message.Of(r.Value)));
    }

    [Fact]
    public void TryParse_ExtensionMethod_IsARequestLikeAnyOther()
    {
        var text = SipText.Invite.Replace("INVITE sip:", "FOOBAR sip:", StringComparison.Ordinal).Replace("314159 INVITE", "314159 FOOBAR", StringComparison.Ordinal);

        var message = SipText.Parse(text);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal(SipMethod.Extension, message.Method);
        Assert.Equal("FOOBAR", message.Of(message.MethodToken));
    }

    [Fact]
    public void TryParse_LeadingKeepAliveCrlf_IsIgnored()
    {
        var message = SipText.Parse("\n\n" + SipText.Invite);

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal(SipMethod.Invite, message.Method);
    }

    [Fact]
    public void TryParse_ShorterContentLength_TruncatesTheBody()
    {
        var message = SipText.Parse(SipText.Invite.Replace("Content-Length: 5", "Content-Length: 2", StringComparison.Ordinal));

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal(2, message.BodyLength);
        Assert.Equal(message.BodyOffset + 2, message.FramedLength);
    }

    [Fact]
    public void TryParse_NoContentLength_TakesTheRestOfTheDatagram()
    {
        var message = SipText.Parse(SipText.Invite.Replace("Content-Length: 5\n", string.Empty, StringComparison.Ordinal));

        Assert.Equal(SipParseError.None, message.Error);
        Assert.Equal(5, message.BodyLength);
    }

    [Theory]
    [InlineData("Max-Forwards: 70", "Max-Forwards: seventy", SipParseError.MaxForwardsNotNumber)]
    [InlineData("Content-Length: 5", "Content-Length: 400", SipParseError.ContentLengthExceedsMessage)]
    [InlineData("Content-Length: 5", "Content-Length: four", SipParseError.ContentLengthNotNumber)]
    [InlineData("CSeq: 314159 INVITE", "CSeq: 314159 BYE", SipParseError.CSeqMethodMismatch)]
    [InlineData("CSeq: 314159 INVITE", "CSeq: INVITE", SipParseError.CSeqMalformed)]
    [InlineData("Call-ID: a84b4c76e66710@127.0.0.1\n", "", SipParseError.CallIdMissing)]
    [InlineData("CSeq: 314159 INVITE\n", "", SipParseError.CSeqMissing)]
    [InlineData("To: Service <sip:service@127.0.0.1:5060>\n", "", SipParseError.ToMissing)]
    [InlineData("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport", "Via: SIP/3.0/UDP 127.0.0.1", SipParseError.ViaMalformed)]
    [InlineData("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport\n", "", SipParseError.ViaMissing)]
    [InlineData("X-Custom: kept as it is", "this line has no colon", SipParseError.HeaderLineMalformed)]
    [InlineData("X-Custom: kept as it is", "X Custom: a name with a space", SipParseError.HeaderLineMalformed)]
    [InlineData("X-Custom: kept as it is", ": no name", SipParseError.HeaderLineMalformed)]
    [InlineData("X-Custom: kept as it is", "X-Cust@m: not a token", SipParseError.HeaderLineMalformed)]
    [InlineData("INVITE sip:service@127.0.0.1:5060 SIP/2.0", "INVITE sip:service@127.0.0.1:5060 SIP/3.0", SipParseError.UnsupportedVersion)]
    [InlineData("INVITE sip:service@127.0.0.1:5060 SIP/2.0", "INVITE  SIP/2.0", SipParseError.StartLineMalformed)]
    [InlineData("INVITE sip:service@127.0.0.1:5060 SIP/2.0", "INVITE sip:service@127.0.0.1:99999 SIP/2.0", SipParseError.RequestUriMalformed)]
    public void TryParse_MalformedRequest_NamesTheFault(string original, string replacement, SipParseError expected)
    {
        var message = SipText.Parse(SipText.Invite.Replace(original, replacement, StringComparison.Ordinal));

        Assert.Equal(expected, message.Error);
    }

    [Theory]
    [InlineData("From: \"Alice, the caller\" <sip:alice@127.0.0.1:6000>;", "From: Jürgen Müller <sip:alice@127.0.0.1:6000>;")]
    [InlineData("INVITE sip:service@127.0.0.1:5060 SIP/2.0", "INVITE sip:alice@my_host.example.com SIP/2.0")]
    [InlineData("INVITE sip:service@127.0.0.1:5060 SIP/2.0", "INVITE tel:+1-201-555-0123 SIP/2.0")]
    [InlineData("INVITE sip:service@127.0.0.1:5060 SIP/2.0", "INVITE sip:user@[2001:db8:::192.0.2.1] SIP/2.0")]
    public void TryParse_WhatRealDevicesSend_IsWellFormed(string original, string replacement)
    {
        var text = SipText.Invite.Replace(original, replacement, StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        var message = new SipMessage();

        Assert.True(SipParser.TryParse(Encoding.UTF8.GetBytes(text), message, SipParseLimits.Default), message.Error.ToString());
    }

    [Fact]
    public void TryParse_SeventyOneVias_AreWithinTheDefaultBound()
    {
        var path = string.Concat(Enumerable.Range(1, 70).Select(i => $"Via: SIP/2.0/UDP 192.0.2.{i};branch=z9hG4bK{i}\n"));

        var message = SipText.Parse(SipText.Invite.Replace("Max-Forwards: 70\n", "Max-Forwards: 70\n" + path, StringComparison.Ordinal));

        Assert.Equal((SipParseError.None, 71), (message.Error, message.Vias.Count));
    }

    [Fact]
    public void TryParse_MalformedRequest_StillReadsHeadersNeededToAnswer()
    {
        var message = SipText.Parse(SipText.Invite.Replace("Max-Forwards: 70", "Max-Forwards: x", StringComparison.Ordinal));

        Assert.Equal(SipParseError.MaxForwardsNotNumber, message.Error);
        Assert.Single(message.Vias);
        Assert.True(message.CallId.IsPresent);
        Assert.Equal(314159, message.CSeqNumber);
    }

    [Fact]
    public void TryParse_HeadersNotTerminated_IsAnError()
    {
        var message = SipText.Parse("OPTIONS sip:a SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n");

        Assert.Equal(SipParseError.HeadersUnterminated, message.Error);
    }

    [Fact]
    public void TryParse_OverTheLimits_IsRefused()
    {
        Assert.Equal(SipParseError.MessageTooLarge, SipText.Parse(SipText.Invite, SipParseLimits.Default with { MaxMessageBytes = 100 }).Error);
        Assert.Equal(SipParseError.TooManyHeaders, SipText.Parse(SipText.Invite, SipParseLimits.Default with { MaxHeaders = 3 }).Error);
        Assert.Equal(SipParseError.HeaderLineTooLong, SipText.Parse(SipText.Invite, SipParseLimits.Default with { MaxHeaderLineBytes = 20 }).Error);
        Assert.Equal(SipParseError.TooManyVias, SipText.Parse(SipText.Ringing, SipParseLimits.Default with { MaxVias = 1 }).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void TryParse_Empty_IsEmpty(string text)
    {
        Assert.Equal(SipParseError.Empty, SipText.Parse(text).Error);
    }

    [Fact]
    public void TryParse_Garbage_NeverThrows()
    {
        var random = new Random(1234);
        var message = new SipMessage();
        var valid = SipText.Wire(SipText.Invite);
        for (var round = 0; round < 2000; round++)
        {
            var mutated = (byte[])valid.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var cut = mutated.AsMemory(0, random.Next(mutated.Length + 1));
            SipParser.TryParse(cut, message, SipParseLimits.Default);
        }
    }
}
