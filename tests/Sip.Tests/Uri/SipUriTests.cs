using System.Text;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Tests.Uri;

public sealed class SipUriTests
{
    [Theory]
    [InlineData("sip:alice@atlanta.com", UriScheme.Sip, "alice", "atlanta.com", 0)]
    [InlineData("sips:alice:secret@atlanta.com:5061;transport=tls", UriScheme.Sips, "alice", "atlanta.com", 5061)]
    [InlineData("sip:127.0.0.1:5070", UriScheme.Sip, "", "127.0.0.1", 5070)]
    [InlineData("sip:[2001:db8::10]:5060;lr", UriScheme.Sip, "", "[2001:db8::10]", 5060)]
    [InlineData("SIP:+1-212-555-1212;npdi@gateway.com;user=phone", UriScheme.Sip, "+1-212-555-1212;npdi", "gateway.com", 0)]
    [InlineData("sip:alice%40home@example.com?subject=project%20x", UriScheme.Sip, "alice%40home", "example.com", 0)]
    [InlineData("sip:odd?,/;;*:pass$word@example.com:5070;lr", UriScheme.Sip, "odd?,/;;*", "example.com", 5070)]
    [InlineData("sip:[::ffff:192.0.2.10]", UriScheme.Sip, "", "[::ffff:192.0.2.10]", 0)]
    [InlineData("sip:alice@my_host.example.com", UriScheme.Sip, "alice", "my_host.example.com", 0)]
    [InlineData("sip:_sip._udp.example.com:5070", UriScheme.Sip, "", "_sip._udp.example.com", 5070)]
    public void TryParse_SipUri_FindsEachPart(string text, UriScheme scheme, string user, string host, int port)
    {
        var bytes = Encoding.ASCII.GetBytes(text);

        Assert.True(SipUri.TryParse(bytes, out var uri));
        Assert.Equal(scheme, uri.Scheme);
        Assert.Equal(user, Encoding.ASCII.GetString(bytes[uri.User]));
        Assert.Equal(host, Encoding.ASCII.GetString(bytes[uri.Host]));
        Assert.Equal(port, uri.Port);
    }

    [Fact]
    public void TryParse_TelUri_IsAnotherScheme()
    {
        Assert.True(SipUri.TryParse("tel:+1-201-555-0123"u8, out var uri));
        Assert.Equal(UriScheme.Other, uri.Scheme);
        Assert.False(uri.IsSip);
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:alice@")]
    [InlineData("sip:host:0")]
    [InlineData("sip:host:70000")]
    [InlineData("sip:[::1")]
    [InlineData("sip:[2001:db8:::1]")]
    [InlineData("sip:[example.com]")]
    [InlineData("sip:ho st")]
    [InlineData("nocolon")]
    public void TryParse_Malformed_IsRefused(string text)
    {
        Assert.False(SipUri.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void HasParameter_LooseRoute_IsFoundCaseInsensitively()
    {
        var bytes = "sip:proxy.example.com;transport=udp;LR"u8;

        Assert.True(SipUri.TryParse(bytes, out var uri));
        Assert.True(uri.HasParameter(bytes, "lr"u8));
        Assert.False(uri.HasParameter(bytes, "maddr"u8));
        Assert.Equal(5060, uri.PortOrDefault);
    }

    [Fact]
    public void NameAddress_TagAfterQuotedDisplayName_IsAHeaderParameter()
    {
        var value = "\"Bob <the; boss>\" <sip:bob@example.com;transport=udp>;tag=abc;x=y"u8;

        Assert.True(NameAddress.TryGetParameter(value, "tag"u8, out var tag));
        Assert.Equal("abc", Encoding.ASCII.GetString(value[tag]));
    }

    [Fact]
    public void NameAddress_BareAddrSpec_ParametersBelongToTheHeader()
    {
        var value = "sip:bob@example.com;tag=987"u8;

        Assert.True(NameAddress.TrySplit(value, out var uri, out _));
        Assert.Equal("sip:bob@example.com", Encoding.ASCII.GetString(value[uri]));
        Assert.True(NameAddress.TryGetParameter(value, "tag"u8, out var tag));
        Assert.Equal("987", Encoding.ASCII.GetString(value[tag]));
    }
}
