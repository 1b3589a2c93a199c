using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Forwarding;

/// <summary>RFC 3261 §17.1.1.3: the ACK of a non-2xx carries the answer's To tag, which tells it as the ACK of a responder's own answer.</summary>
public sealed class LocalAnswerTagTests
{
    private readonly LocalAnswerTag ours = new();

    [Fact]
    public void TheAckOfOurOwnAnswer_CarriesOurTag()
    {
        var tag = TagAnsweredBy(ours, SipText.Invite);

        var ack = SipText.Parse(AckWithTag(SipText.Invite, tag));

        Assert.True(ours.IsOn(ack));
    }

    [Fact]
    public void TheSameRequestAnsweredTwice_GetsTheSameTag() =>
        Assert.Equal(TagAnsweredBy(ours, SipText.Invite), TagAnsweredBy(ours, SipText.Invite));

    [Fact]
    public void AnAckWithTheTagOfAnotherResponderInTheSameProcess_IsNotOurs()
    {
        var tag = TagAnsweredBy(LocalAnswerTag.Default, SipText.Invite);

        var ack = SipText.Parse(AckWithTag(SipText.Invite, tag));

        Assert.False(ours.IsOn(ack));
    }

    [Fact]
    public void AnAckWithTheServersTag_IsNotOurs()
    {
        var ack = SipText.Parse(AckWithTag(SipText.Invite, "as6151ad25"));

        Assert.False(ours.IsOn(ack));
    }

    [Fact]
    public void OurTagOfAnotherRequest_IsNotOnThisOne()
    {
        var tag = TagAnsweredBy(ours, SipText.Invite);
        var otherCall = SipText.Invite.Replace("CSeq: 314159 INVITE", "CSeq: 314160 INVITE", StringComparison.Ordinal);

        var ack = SipText.Parse(AckWithTag(otherCall, tag));

        Assert.False(ours.IsOn(ack));
    }

    [Fact]
    public void ARequestWithoutToTag_IsNotOurs() => Assert.False(ours.IsOn(SipText.Parse(SipText.Invite)));

    private static string TagAnsweredBy(LocalAnswerTag responder, string invite)
    {
        using var answer = ResponseFactory.Create(SipText.Parse(invite), ProductName.Default, 503, "Service Unavailable", tag: responder);
        var response = SipText.Parse(SipText.Text(answer.Span));
        return response.Of(response.ToTag);
    }

    private static string AckWithTag(string invite, string tag) =>
        invite.Replace("INVITE sip:", "ACK sip:", StringComparison.Ordinal)
            .Replace(" INVITE\n", " ACK\n", StringComparison.Ordinal)
            .Replace("To: Service <sip:service@127.0.0.1:5060>", $"To: Service <sip:service@127.0.0.1:5060>;tag={tag}", StringComparison.Ordinal)
            .Replace("Content-Type: application/sdp\nContent-Length: 5\n\nv=0\n", "Content-Length: 0\n\n", StringComparison.Ordinal);
}
