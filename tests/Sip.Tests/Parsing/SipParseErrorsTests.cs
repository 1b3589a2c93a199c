using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Tests.Parsing;

public sealed class SipParseErrorsTests
{
    [Fact]
    public void ReasonPhrase_BadRequest_NamesTheFault()
    {
        Assert.Equal("Bad Request (Max-Forwards not a number)", SipParseErrors.ReasonPhrase(SipParseError.MaxForwardsNotNumber));
        Assert.Equal(400, SipParseErrors.StatusCode(SipParseError.MaxForwardsNotNumber));
    }

    [Fact]
    public void StatusCode_TooLargeAndWrongVersion_HaveTheirOwnCodes()
    {
        Assert.Equal(513, SipParseErrors.StatusCode(SipParseError.MessageTooLarge));
        Assert.Equal(505, SipParseErrors.StatusCode(SipParseError.UnsupportedVersion));
    }

    [Fact]
    public void Describe_EveryError_HasItsOwnText()
    {
        var texts = Enum.GetValues<SipParseError>().Select(SipParseErrors.Describe).ToList();

        Assert.Equal(texts.Count, texts.Distinct().Count());
    }
}
