using System.Text;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Tests.Uri;

public sealed class IpLiteralTests
{
    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("2001:db8::10")]
    [InlineData("2001:DB8:0:0:8:800:200C:417A")]
    [InlineData("2001:db8::10:5070")]
    [InlineData("::ffff:192.0.2.10")]
    [InlineData("2001:db8::192.0.2.1")]
    [InlineData("1:2:3:4:5:6:192.0.2.1")]
    [InlineData("fe80::")]
    [InlineData("2001:db8:::192.0.2.1")]
    [InlineData(":::192.0.2.1")]
    public void IsIPv6_ValidLiteral_IsAccepted(string text)
    {
        Assert.True(IpLiteral.IsIPv6(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData(":1")]
    [InlineData("1:")]
    [InlineData("2001:db8:::1")]
    [InlineData("2001:db8::1:::192.0.2.1")]
    [InlineData("2001:db8:::192.0.2.1:1")]
    [InlineData("2001:db8:::192.0.2")]
    [InlineData("2001:db8::10::1")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("2001:db8::12345")]
    [InlineData("2001:db8::g")]
    [InlineData("::ffff:192.0.2.256")]
    [InlineData("1:2:3:4:5:6:7:192.0.2.1")]
    public void IsIPv6_InvalidLiteral_IsRefused(string text)
    {
        Assert.False(IpLiteral.IsIPv6(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("2001:db8:::192.0.2.1", "2001:db8::192.0.2.1")]
    [InlineData(":::192.0.2.1", "::192.0.2.1")]
    [InlineData("2001:db8::10", "2001:db8::10")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    public void TryParseAddress_LiteralOrTheRfc5118Section4_10ThreeColons_GivesTheAddress(string text, string address)
    {
        Assert.True(IpLiteral.TryParseAddress(Encoding.ASCII.GetBytes(text), out var parsed));
        Assert.Equal(System.Net.IPAddress.Parse(address), parsed);
    }

    [Theory]
    [InlineData("2001:db8:::1")]
    [InlineData("example.com")]
    public void TryParseAddress_NoAddress_IsFalse(string text)
    {
        Assert.False(IpLiteral.TryParseAddress(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("192.0.2.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("256.0.0.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("1..2.3", false)]
    [InlineData("1234.1.1.1", false)]
    public void IsIPv4_DottedQuad_IsCheckedOctetByOctet(string text, bool expected)
    {
        Assert.Equal(expected, IpLiteral.IsIPv4(Encoding.ASCII.GetBytes(text)));
    }
}
