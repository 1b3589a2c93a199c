using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Tests.Parsing;

public sealed class HeaderNamesTests
{
    [Theory]
    [InlineData("To", HeaderKind.To)]
    [InlineData("via", HeaderKind.Via)]
    [InlineData("FROM", HeaderKind.From)]
    [InlineData("cseq", HeaderKind.CSeq)]
    [InlineData("Route", HeaderKind.Route)]
    [InlineData("call-id", HeaderKind.CallId)]
    [InlineData("Contact", HeaderKind.Contact)]
    [InlineData("max-forwards", HeaderKind.MaxForwards)]
    [InlineData("Record-Route", HeaderKind.RecordRoute)]
    [InlineData("CONTENT-TYPE", HeaderKind.ContentType)]
    [InlineData("Proxy-Require", HeaderKind.ProxyRequire)]
    [InlineData("Content-Length", HeaderKind.ContentLength)]
    [InlineData("proxy-authorization", HeaderKind.ProxyAuthorization)]
    [InlineData("v", HeaderKind.Via)]
    [InlineData("I", HeaderKind.CallId)]
    [InlineData("l", HeaderKind.ContentLength)]
    public void Rfc3261_7_3_3_Classify_LongAndCompactFormsInAnyCase(string name, HeaderKind expected)
    {
        Assert.Equal(expected, HeaderNames.Classify(Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Tx")]
    [InlineData("Vie")]
    [InlineData("Cseg")]
    [InlineData("Contacx")]
    [InlineData("Call-IX")]
    [InlineData("Max-Forwardz")]
    [InlineData("Content-Types")]
    [InlineData("Allow")]
    [InlineData("User-Agent")]
    [InlineData("x")]
    public void Rfc3261_7_3_3_Classify_OtherNames_AreOther(string name)
    {
        Assert.Equal(HeaderKind.Other, HeaderNames.Classify(Encoding.ASCII.GetBytes(name)));
    }
}
