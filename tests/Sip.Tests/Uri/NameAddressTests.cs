using System.Text;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Tests.Uri;

public sealed class NameAddressTests
{
    [Theory]
    [InlineData("<sip:alice@atlanta.example.com>;tag=1")]
    [InlineData("\"Alice \\\"A\\\", the <caller>\" <sip:alice@atlanta.example.com>;tag=1")]
    [InlineData("Alice Liddell<sip:alice@atlanta.example.com>")]
    [InlineData("sip:alice@atlanta.example.com ;tag=1")]
    [InlineData("tel:+1-201-555-0123;tag=x")]
    [InlineData("<urn:service:sos>")]
    [InlineData("<sip:user;par=u%40example.net@example.com?subject=x>")]
    [InlineData("isbn:2983792873")]
    [InlineData("Jürgen Müller <sip:j@example.com>;tag=1")]
    [InlineData("山田太郎 <sip:yamada@example.com>")]
    [InlineData("<sip:j@[2001:db8:::192.0.2.1]>")]
    public void IsWellFormed_NameAddrOrAddrSpec_IsAccepted(string text)
    {
        Assert.True(NameAddress.IsWellFormed(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"unterminated <sip:a@example.com>")]
    [InlineData("Bell, Alexander <sip:a.g.bell@example.com>")]
    [InlineData("<sip:a@example.com")]
    [InlineData("sip:a@example.com>")]
    [InlineData("<sip:a@example.com> trailing")]
    [InlineData("sip:a@example.com?subject=x")]
    [InlineData("sip:a@example.com, sip:b@example.com")]
    [InlineData("<sip:a@[2001:db8:::1]>")]
    [InlineData("\"quoted\" sip:a@example.com")]
    public void IsWellFormed_Broken_IsRefused(string text)
    {
        Assert.False(NameAddress.IsWellFormed(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("\"Alice <x>\" <sip:alice@example.com>;tag=1")]
    [InlineData("sip:alice@example.com;tag=1")]
    [InlineData("<sip:alice@example.com>")]
    public void Rfc3261_20_10_IsWellFormed_GivesTheParametersTrySplitFinds(string text)
    {
        var value = Encoding.UTF8.GetBytes(text);

        Assert.True(NameAddress.IsWellFormed(value, out var parameters));
        Assert.True(NameAddress.TrySplit(value, out _, out var split));
        Assert.Equal(split.GetOffsetAndLength(value.Length), parameters.GetOffsetAndLength(value.Length));
    }
}
