using System.Text;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Tests.Uri;

public sealed class SipParametersTests
{
    [Theory]
    [InlineData(";user=phone;lr", "lr", "")]
    [InlineData(";user=phone;lr", "USER", "phone")]
    [InlineData("; maddr = 10.0.0.1 ;ttl=16", "maddr", "10.0.0.1")]
    [InlineData(";x=\"a;b,c?d>e\";tag=9", "tag", "9")]
    [InlineData(";x=\"a;tag=no\"", "x", "\"a;tag=no\"")]
    public void Rfc3261_25_1_TryFind_FindsTheParameterOutsideQuotedValues(string text, string name, string expected)
    {
        var parameters = Encoding.ASCII.GetBytes(text);

        Assert.True(SipParameters.TryFind(parameters, Encoding.ASCII.GetBytes(name), out var value));
        Assert.Equal(expected, Encoding.ASCII.GetString(parameters[value]));
    }

    [Theory]
    [InlineData(";x=\"a;tag=no\"", "tag")]
    [InlineData(";x=\"a;tag=no", "tag")]
    [InlineData(";lr>;tag=1", "tag")]
    [InlineData(";lr?tag=1", "tag")]
    [InlineData(";lr,<sip:b>;tag=1", "tag")]
    [InlineData("", "tag")]
    public void Rfc3261_25_1_TryFind_StopsAtTheEndOfTheParameterList(string text, string name)
    {
        Assert.False(SipParameters.TryFind(Encoding.ASCII.GetBytes(text), Encoding.ASCII.GetBytes(name), out _));
    }
}
