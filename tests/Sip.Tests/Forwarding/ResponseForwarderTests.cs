using System.Net;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Forwarding;

public sealed class ResponseForwarderTests
{
    [Fact]
    public void Write_RemovesOnlyTheTopVia()
    {
        var response = SipText.Parse(SipText.Ringing);

        using var forwarded = ResponseForwarder.Write(response, SipTransportKind.Udp);
        var result = SipText.Parse(SipText.Text(forwarded.Span));

        Assert.Equal(SipParseError.None, result.Error);
        Assert.Equal(["SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1"], result.Vias.Select(v => result.Of(v.Value)));
        Assert.Equal(SipText.Ringing.Split('\n').Skip(2), SipText.Text(forwarded.Span).Split('\n').Skip(1));
    }

    [Fact]
    public void Write_Rfc3261_18_3_ToAStreamWithoutContentLength_AddsOneNamingTheBody()
    {
        var response = SipText.Parse(SipText.Ringing.Replace("Content-Length: 0\n\n", "Content-Type: text/plain\n\nringing\n", StringComparison.Ordinal));

        using var forwarded = ResponseForwarder.Write(response, SipTransportKind.Tcp);
        var text = SipText.Text(forwarded.Span);

        Assert.EndsWith("Content-Type: text/plain\nContent-Length: 9\n\nringing\n", text, StringComparison.Ordinal);
        Assert.Equal(SipParseError.None, SipText.Parse(text).Error);
    }

    [Fact]
    public void Write_ToAStreamWithContentLength_OnlyLosesTheTopVia()
    {
        var response = SipText.Parse(SipText.Ringing);

        using var forwarded = ResponseForwarder.Write(response, SipTransportKind.Tls);

        Assert.Equal(SipText.Ringing.Split('\n').Skip(2), SipText.Text(forwarded.Span).Split('\n').Skip(1));
    }

    [Fact]
    public void Write_TopViaSharingItsLine_KeepsTheOthersOnIt()
    {
        var text = SipText.Ringing.Replace(
            "0000000000000000\nVia: ",
            "0000000000000000, ",
            StringComparison.Ordinal);
        var response = SipText.Parse(text);

        using var forwarded = ResponseForwarder.Write(response, SipTransportKind.Udp);
        var result = SipText.Parse(SipText.Text(forwarded.Span));

        Assert.Equal("SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1", result.Header("Via"));
    }

    [Fact]
    public void TryGetDestination_UsesReceivedAndRport()
    {
        var response = SipText.Parse(SipText.Ringing.Replace("rport=6000;received=127.0.0.1", "rport=40000;received=127.0.0.9", StringComparison.Ordinal));

        Assert.True(ResponseForwarder.TryGetDestination(response, out var destination, out var transport));
        Assert.Equal((new IPEndPoint(IPAddress.Parse("127.0.0.9"), 40000), SipTransportKind.Udp), (destination, transport));
    }

    [Fact]
    public void TryGetDestination_PlainSentBy_UsesItsHostAndPort()
    {
        var response = SipText.Parse(SipText.Ringing.Replace(";rport=6000;received=127.0.0.1", string.Empty, StringComparison.Ordinal));

        Assert.True(ResponseForwarder.TryGetDestination(response, out var destination, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6000), destination);
    }

    [Fact]
    public void TryGetDestination_OnlyOurVia_HasNowhereToGo()
    {
        var response = SipText.Parse(SipText.Ringing.Replace("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1\n", string.Empty, StringComparison.Ordinal));

        Assert.False(ResponseForwarder.TryGetDestination(response, out _, out _));
    }

    [Fact]
    public void TryGetDestination_TlsSentByWithoutPort_GoesToPort5061OverTls()
    {
        var response = SipText.Parse(SipText.Ringing.Replace("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1", "Via: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bK776asdhds", StringComparison.Ordinal));

        Assert.True(ResponseForwarder.TryGetDestination(response, out var destination, out var transport));
        Assert.Equal((new IPEndPoint(IPAddress.Loopback, 5061), SipTransportKind.Tls), (destination, transport));
    }
}
