using System.Text;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Tests.Parsing;

public sealed class SipSyntaxTests
{
    [Fact]
    public void Rfc3261_25_1_IsTokenChar_IsExactlyAlphanumAndTheTokenMarks()
    {
        const string marks = "-.!%*_+`'~";
        for (var b = 0; b < 256; b++)
        {
            var expected = b is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || marks.Contains((char)b, StringComparison.Ordinal);
            Assert.Equal(expected, SipSyntax.IsTokenChar((byte)b));
        }
    }

    [Theory]
    [InlineData("Content-Length", true)]
    [InlineData("X-Odd.Name!%*_+`'~", true)]
    [InlineData("", false)]
    [InlineData("Bad Name", false)]
    [InlineData("Name:", false)]
    [InlineData("Nämé", false)]
    [InlineData("a-much-longer-header-name-than-one-vector-holds-so-the-tail-is-checked-too@", false)]
    public void Rfc3261_25_1_IsToken_AcceptsOnlyTokenCharacters(string text, bool expected)
    {
        Assert.Equal(expected, SipSyntax.IsToken(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("UDP 10.0.0.1", 3)]
    [InlineData("TCP", 3)]
    [InlineData(" x", 0)]
    public void Rfc3261_25_1_TokenLength_CountsTheLeadingTokenCharacters(string text, int expected)
    {
        Assert.Equal(expected, SipSyntax.TokenLength(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("<sip:a@example.com>, <sip:b@example.com>", 19)]
    [InlineData("\"Bell, A.\" <sip:a@example.com>, <sip:b@example.com>", 30)]
    [InlineData("\"say \\\"hi, there\\\"\" <sip:a@example.com>, b", 39)]
    [InlineData("<sip:a@example.com;x=\"1,2\">", -1)]
    [InlineData("<sip:a,b@example.com>, c", 21)]
    [InlineData("\"unterminated, <sip:a@example.com>", -1)]
    [InlineData("sip:a@example.com", -1)]
    public void Rfc3261_7_3_1_IndexOfListSeparator_SkipsQuotedStringsAndUris(string text, int expected)
    {
        Assert.Equal(expected, SipSyntax.IndexOfListSeparator(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("\"a <b>\" <sip:c@example.com>", 8)]
    [InlineData("name <sip:c@example.com>", 5)]
    [InlineData("\"a \\\" <b>\" <sip:c@example.com>", 11)]
    [InlineData("\"a <b>", -1)]
    public void Rfc3261_25_1_IndexOfOutsideQuotes_FindsTheTargetOutsideQuotedStrings(string text, int expected)
    {
        Assert.Equal(expected, SipSyntax.IndexOfOutsideQuotes(Encoding.ASCII.GetBytes(text), (byte)'<', skipAngleBrackets: false));
    }

    [Theory]
    [InlineData("\"plain\" rest", 6)]
    [InlineData("\"escaped \\\" quote\"", 17)]
    [InlineData("\"ends in a backslash\\\"", -1)]
    [InlineData("\"open", -1)]
    public void Rfc3261_25_1_ClosingQuote_SkipsEscapedCharacters(string text, int expected)
    {
        Assert.Equal(expected, SipSyntax.ClosingQuote(Encoding.ASCII.GetBytes(text)));
    }
}
