using System.Text;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Tests.Message;

public sealed class ViaTests
{
    [Theory]
    [InlineData("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx", "UDP", "10.0.0.1", 5060)]
    [InlineData("SIP / 2.0 / TCP pc33.atlanta.com;branch=z9hG4bKx", "TCP", "pc33.atlanta.com", 0)]
    [InlineData("SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKx;received=2001:db8::9", "TLS", "[2001:db8::9]", 5061)]
    [InlineData("sip/2.0/udp host", "udp", "host", 0)]
    public void TryParse_SentBy_IsFound(string text, string transport, string host, int port)
    {
        var bytes = Encoding.ASCII.GetBytes(text);

        Assert.True(Via.TryParse(bytes, out var via));
        Assert.Equal(transport, Encoding.ASCII.GetString(bytes[via.Transport]));
        Assert.Equal(host, Encoding.ASCII.GetString(bytes[via.Host]));
        Assert.Equal(port, via.Port);
    }

    [Fact]
    public void TryGetParameter_RportWithoutValue_IsPresentAndEmpty()
    {
        var bytes = "SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKabc;received=10.0.0.9;maddr=224.2.0.1;ttl=16"u8;

        Assert.True(Via.TryParse(bytes, out var via));
        Assert.True(via.TryGetParameter(bytes, "rport"u8, out var rport));
        Assert.Equal(0, bytes[rport].Length);
        Assert.True(via.TryGetParameter(bytes, "branch"u8, out var branch));
        Assert.Equal("z9hG4bKabc", Encoding.ASCII.GetString(bytes[branch]));
        Assert.True(via.TryGetParameter(bytes, "received"u8, out var received));
        Assert.Equal("10.0.0.9", Encoding.ASCII.GetString(bytes[received]));
        Assert.True(via.TryGetParameter(bytes, "ttl"u8, out var ttl));
        Assert.Equal("16", Encoding.ASCII.GetString(bytes[ttl]));
    }

    [Theory]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0 UDP host")]
    [InlineData("HTTP/1.1/UDP host")]
    [InlineData("SIP/2.0/UDP host:abc")]
    [InlineData("SIP/2.0/UDP [::1")]
    public void TryParse_Malformed_IsRefused(string text)
    {
        Assert.False(Via.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }
}
