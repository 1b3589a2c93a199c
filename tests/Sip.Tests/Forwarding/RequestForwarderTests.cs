using System.Net;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Forwarding;

public sealed class RequestForwarderTests
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);
    private static readonly LocalHop TcpHop = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060));

    [Fact]
    public void Write_Invite_AddsViaAndRecordRouteAndDecrementsMaxForwards()
    {
        var request = SipText.Parse(SipText.Invite);

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, RecordRoute: Hops.Proxy.RecordRouteLine, OwnRoutes: 0));
        var result = SipText.Parse(SipText.Text(forwarded.Span));

        Assert.Equal(SipParseError.None, result.Error);
        Assert.Equal(2, result.Vias.Count);
        Assert.StartsWith("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop", result.Of(result.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal("SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1", result.Of(result.Vias[1].Value));
        Assert.Equal(69, result.MaxForwards);
        Assert.Equal("<sip:127.0.0.1:5060;lr>", result.Of(result.RecordRoutes[0].Value));
        Assert.Equal("kept as it is", result.Header("X-Custom"));
        Assert.Equal("v=0\r\n", result.Of(new TextRange(result.BodyOffset, result.BodyLength)));
    }

    [Theory]
    [InlineData("v=0\n", 5)]
    [InlineData("", 0)]
    public void Write_Rfc3261_18_3_ToAStreamWithoutContentLength_AddsOneNamingTheBodyAfterTheLastHeader(string body, int length)
    {
        var request = SipText.Parse(SipText.Invite.Replace("Content-Length: 5\n\nv=0\n", "\n" + body, StringComparison.Ordinal));

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(TcpHop, Caller, default, 0));
        var text = SipText.Text(forwarded.Span);

        Assert.EndsWith($"Content-Type: application/sdp\nContent-Length: {length}\n\n{body}", text, StringComparison.Ordinal);
        Assert.Equal(length, SipText.Parse(text).ContentLength);
    }

    [Fact]
    public void Write_Rfc3261_18_3_ToAStreamWithContentLength_KeepsItAndOnlyTheBodyItNames()
    {
        var request = SipText.Parse(SipText.Invite + "past the length");

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(TcpHop, Caller, default, 0));
        var text = SipText.Text(forwarded.Span);

        Assert.EndsWith("Content-Type: application/sdp\nContent-Length: 5\n\nv=0\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), line => line.StartsWith("Content-Length", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_ToUdpWithoutContentLength_AddsNone()
    {
        var request = SipText.Parse(SipText.Invite.Replace("Content-Length: 5\n", string.Empty, StringComparison.Ordinal));

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, default, 0));

        Assert.DoesNotContain("Content-Length", SipText.Text(forwarded.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OnlyTheEditedPartsChange()
    {
        var request = SipText.Parse(SipText.Invite);

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, RecordRoute: default, OwnRoutes: 0));
        var lines = SipText.Text(forwarded.Span).Split('\n');
        var originalLines = SipText.Invite.Split('\n');

        Assert.Equal(originalLines[0], lines[0]);
        Assert.StartsWith("Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop", lines[1], StringComparison.Ordinal);
        Assert.Equal(originalLines.Skip(2), lines.Skip(3).Select(l => l.Replace("69", "70", StringComparison.Ordinal)));
    }

    [Fact]
    public void Write_SameRequestTwice_UsesTheSameBranch()
    {
        var first = SipText.Parse(SipText.Invite);
        var retransmission = SipText.Parse(SipText.Invite);

        using var a = RequestForwarder.Write(first, new ForwardingPlan(Hops.Proxy, Caller, default, 0));
        using var b = RequestForwarder.Write(retransmission, new ForwardingPlan(Hops.Proxy, Caller, default, 0));

        Assert.Equal(SipText.Text(a.Span), SipText.Text(b.Span));
    }

    [Fact]
    public void Write_CancelOfAnInvite_UsesTheInvitesBranch()
    {
        var invite = SipText.Parse(SipText.Invite);
        var cancel = SipText.Parse(SipText.Invite.Replace("INVITE sip:", "CANCEL sip:", StringComparison.Ordinal).Replace("314159 INVITE", "314159 CANCEL", StringComparison.Ordinal));

        using var a = RequestForwarder.Write(invite, new ForwardingPlan(Hops.Proxy, Caller, default, 0));
        using var b = RequestForwarder.Write(cancel, new ForwardingPlan(Hops.Proxy, Caller, default, 0));

        var inviteVia = SipText.Parse(SipText.Text(a.Span));
        var cancelVia = SipText.Parse(SipText.Text(b.Span));
        Assert.Equal(inviteVia.Of(inviteVia.Vias[0].Value), cancelVia.Of(cancelVia.Vias[0].Value));
    }

    [Fact]
    public void Write_OwnRouteAloneOnItsLine_RemovesTheLine()
    {
        var request = SipText.Parse(SipText.Invite.Replace("X-Custom: kept as it is\n", "Route: <sip:127.0.0.1:5060;lr>\nRoute: <sip:10.0.0.7;lr>\n", StringComparison.Ordinal));

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, default, OwnRoutes: 1));
        var result = SipText.Parse(SipText.Text(forwarded.Span));

        Assert.Equal(["<sip:10.0.0.7;lr>"], result.Routes.Select(r => result.Of(r.Value)));
    }

    [Fact]
    public void Write_OwnRouteFirstInACommaList_KeepsTheRest()
    {
        var request = SipText.Parse(SipText.Invite.Replace("X-Custom: kept as it is\n", "Route: <sip:127.0.0.1:5060;lr>, <sip:10.0.0.7;lr>\n", StringComparison.Ordinal));

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, default, OwnRoutes: 1));
        var result = SipText.Parse(SipText.Text(forwarded.Span));

        Assert.Equal(SipParseError.None, result.Error);
        Assert.Equal("<sip:10.0.0.7;lr>", result.Header("Route"));
    }

    [Fact]
    public void Write_NoMaxForwards_AddsSeventy_Rfc3261Section16_6Step3()
    {
        var request = SipText.Parse(SipText.Invite.Replace("Max-Forwards: 70\n", string.Empty, StringComparison.Ordinal));

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, default, 0));

        Assert.Equal(70, SipText.Parse(SipText.Text(forwarded.Span)).MaxForwards);
    }

    [Fact]
    public void Write_SenderBehindNat_GetsReceivedAndRport()
    {
        var request = SipText.Parse(SipText.Invite);
        var natted = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 40000);

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, natted, default, 0));
        var result = SipText.Parse(SipText.Text(forwarded.Span));

        Assert.Equal("SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=40000;received=127.0.0.9", result.Of(result.Vias[1].Value));
    }

    [Fact]
    public void Write_DatagramLongerThanContentLength_ForwardsOnlyTheFramedMessage()
    {
        var request = SipText.Parse(SipText.Invite + "trailing junk");

        using var forwarded = RequestForwarder.Write(request, new ForwardingPlan(Hops.Proxy, Caller, default, 0));

        Assert.EndsWith("\n\nv=0\n", SipText.Text(forwarded.Span), StringComparison.Ordinal);
    }
}
