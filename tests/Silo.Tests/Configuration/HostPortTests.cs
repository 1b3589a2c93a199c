using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip;

namespace OrleansProxy.Silo.Tests.Configuration;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("10.0.0.1:5070", "10.0.0.1:5070")]
    [InlineData("10.0.0.1", "10.0.0.1:5060")]
    [InlineData(" 10.0.0.1:5070 ", "10.0.0.1:5070")]
    [InlineData("[::1]", "[::1]:5060")]
    [InlineData("[0:0::1]:5070", "[::1]:5070")]
    [InlineData("[2001:DB8::A]:5060", "[2001:db8::a]:5060")]
    [InlineData("SIP1.Example.com:5080", "sip1.example.com:5080")]
    [InlineData("localhost", "localhost:5060")]
    [InlineData("10.0.0.1:65535", "10.0.0.1:65535")]
    public void TryParse_ValidText_NormalisedForm(string text, string expected)
    {
        Assert.True(HostPort.TryParse(text, SipDefaults.Port, out var value, out var reason), reason);
        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData("", "the host is empty")]
    [InlineData(":5060", "the host is empty")]
    [InlineData("::1", "an IPv6 address needs brackets, e.g. [::1]:5060")]
    [InlineData("[::1", "missing ']' after the IPv6 address")]
    [InlineData("[::1]5060", "expected ':' and a port after ']'")]
    [InlineData("[10.0.0.1]:5060", "not a valid IPv6 address")]
    [InlineData("10.0.0.1:", "port 1-65535")]
    [InlineData("10.0.0.1:0", "port 1-65535")]
    [InlineData("10.0.0.1:65536", "port 1-65535")]
    [InlineData("10.0.0.1:+80", "port 1-65535")]
    [InlineData("10.0.0.256", "not a valid IPv4 address")]
    [InlineData("10.0.1", "not a valid IPv4 address")]
    [InlineData("10.0.0.0001", "not a valid IPv4 address")]
    [InlineData("bad host", "not a valid host name")]
    public void TryParse_InvalidText_NamesTheReason(string text, string reason)
    {
        Assert.False(HostPort.TryParse(text, SipDefaults.Port, out _, out var actual));
        Assert.Equal(reason, actual);
    }

    [Fact]
    public void TryParse_IpLiteral_KeepsTheAddress()
    {
        Assert.True(HostPort.TryParse("[::1]:5070", SipDefaults.Port, out var value, out _));
        Assert.Equal(System.Net.IPAddress.IPv6Loopback, value.Address);
        Assert.True(HostPort.TryParse("sip.example.com", SipDefaults.Port, out var named, out _));
        Assert.Null(named.Address);
    }
}
