using System.Text;
using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Sip.Tests.Capture;

public sealed class CallIdLocatorTests
{
    [Theory]
    [InlineData("INVITE sip:a SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCall-ID: abc@host\r\n\r\n", "abc@host")]
    [InlineData("INVITE sip:a SIP/2.0\r\ncall-id:abc \r\n\r\n", "abc")]
    [InlineData("INVITE sip:a SIP/2.0\r\nI :\tshort\r\n\r\n", "short")]
    [InlineData("SIP/2.0 200 OK\nVia: x\n  Call-ID: folded-not-a-header\nCall-ID: real\n\n", "real")]
    [InlineData("INVITE sip:a SIP/2.0\r\nVia: x\r\n\r\nCall-ID: in-the-body\r\n", "")]
    [InlineData("INVITE sip:a SIP/2.0\r\nIf-Match: x\r\nCall-IDs: no\r\n\r\n", "")]
    [InlineData("garbage", "")]
    public void Find_Header_ReturnsTheTrimmedValue(string message, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(CallIdLocator.Find(Encoding.ASCII.GetBytes(message))));
    }
}
