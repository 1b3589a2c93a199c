using System.Text;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Forwarding;

public sealed class ResponseFactoryTests
{
    [Fact]
    public void Create_CopiesTransactionHeadersAndTagsTheTo()
    {
        var request = SipText.Parse(SipText.Invite);

        using var response = ResponseFactory.Create(request, ProductName.Default, 503, "Service Unavailable", "Retry-After: 5\r\n"u8);
        var result = SipText.Parse(SipText.Text(response.Span));

        Assert.Equal(SipParseError.None, result.Error);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal("Service Unavailable", result.Of(result.ReasonPhrase));
        Assert.Equal(request.Of(request.Vias[0].Value), result.Of(result.Vias[0].Value));
        Assert.Equal(request.Of(request.CallId), result.Of(result.CallId));
        Assert.Equal(request.Of(request.From), result.Of(result.From));
        Assert.True(result.ToTag.IsPresent);
        Assert.Equal("5", result.Header("Retry-After"));
        Assert.Equal(0, result.ContentLength);
    }

    [Fact]
    public void Create_WithBody_WritesItsContentLengthAndTheBodyLast()
    {
        var request = SipText.Parse(SipText.Invite);
        var body = "v=0\r\ns=-\r\n"u8;

        using var response = ResponseFactory.Create(request, ProductName.Default, 200, "OK", "Content-Type: application/sdp\r\n"u8, body);
        var result = SipText.Parse(SipText.Text(response.Span));

        Assert.Equal(SipParseError.None, result.Error);
        Assert.Equal(body.Length, result.ContentLength);
        Assert.Equal(body.Length, result.BodyLength);
        Assert.Equal("v=0\r\ns=-\r\n", Encoding.ASCII.GetString(response.Span[result.BodyOffset..]));
    }

    [Fact]
    public void Create_SameRequestTwice_GivesTheSameTag()
    {
        var request = SipText.Parse(SipText.Invite);

        using var first = ResponseFactory.Create(request, ProductName.Default, 404, "Not Found");
        using var second = ResponseFactory.Create(request, ProductName.Default, 404, "Not Found");

        Assert.Equal(Encoding.ASCII.GetString(first.Span), Encoding.ASCII.GetString(second.Span));
    }

    [Fact]
    public void Create_ReasonWithLineBreaks_StaysOnOneLine()
    {
        var request = SipText.Parse(SipText.Invite);

        using var response = ResponseFactory.Create(request, ProductName.Default, 400, "Bad\r\nInjected: yes");
        var result = SipText.Parse(SipText.Text(response.Span));

        Assert.Null(result.Header("Injected"));
    }

    [Fact]
    public void Create_DefaultProduct_NamesTheProxyInServer_Rfc3261Section20_35()
    {
        using var response = ResponseFactory.Create(SipText.Parse(SipText.Invite), ProductName.Default, 404, "Not Found");

        Assert.Equal("OrleansProxy", SipText.Parse(SipText.Text(response.Span)).Header("Server"));
    }

    [Fact]
    public void Create_ConfiguredProduct_IsTheServerHeader()
    {
        using var response = ResponseFactory.Create(SipText.Parse(SipText.Invite), ProductName.Create("Acme-SBC/2.1 (edge)"), 404, "Not Found");

        Assert.Equal("Acme-SBC/2.1 (edge)", SipText.Parse(SipText.Text(response.Span)).Header("Server"));
    }

    [Fact]
    public void Create_NoProduct_LeavesServerOut()
    {
        using var response = ResponseFactory.Create(SipText.Parse(SipText.Invite), ProductName.None, 503, "Service Unavailable", "Retry-After: 5\r\n"u8);
        var result = SipText.Parse(SipText.Text(response.Span));

        Assert.Equal(SipParseError.None, result.Error);
        Assert.Null(result.Header("Server"));
        Assert.Equal("5", result.Header("Retry-After"));
    }
}
