using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Tests.Transactions;

public sealed class RequestComposerTests
{
    private const string Sent =
        "INVITE sip:bob@10.0.0.2 SIP/2.0\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop1\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKcaller\n" +
        "Route: <sip:10.0.0.2;lr>\n" +
        "Max-Forwards: 69\n" +
        "To: Bob <sip:bob@example.com>\n" +
        "From: Alice <sip:alice@example.com>;tag=a1\n" +
        "Call-ID: call-1\n" +
        "CSeq: 7 INVITE\n" +
        "Content-Type: application/sdp\n" +
        "Content-Length: 4\n" +
        "\n" +
        "v=0\n";

    [Fact]
    public void Cancel_SentInvite_CopiesUriTopViaRouteFromToCallIdAndCSeqNumber()
    {
        var cancel = SipText.Text(RequestComposer.Cancel(SipText.Wire(Sent)));

        Assert.Equal(
            "CANCEL sip:bob@10.0.0.2 SIP/2.0\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop1\n" +
            "Max-Forwards: 70\n" +
            "Route: <sip:10.0.0.2;lr>\n" +
            "From: Alice <sip:alice@example.com>;tag=a1\n" +
            "To: Bob <sip:bob@example.com>\n" +
            "Call-ID: call-1\n" +
            "CSeq: 7 CANCEL\n" +
            "Content-Length: 0\n" +
            "\n",
            cancel);
    }

    [Fact]
    public void Ack_NonSuccessResponse_TakesToFromTheResponse()
    {
        var response = SipText.Parse(
            "SIP/2.0 486 Busy Here\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop1\n" +
            "To: Bob <sip:bob@example.com>;tag=b2\n" +
            "From: Alice <sip:alice@example.com>;tag=a1\n" +
            "Call-ID: call-1\n" +
            "CSeq: 7 INVITE\n" +
            "Content-Length: 0\n" +
            "\n");

        var ack = SipText.Parse(SipText.Text(RequestComposer.Ack(SipText.Wire(Sent), response)));

        Assert.Equal("ACK", ack.Of(ack.MethodToken));
        Assert.Equal("Bob <sip:bob@example.com>;tag=b2", ack.Header("To"));
        Assert.Equal("7 ACK", ack.Header("CSeq"));
        Assert.Single(ack.Vias);
        Assert.Equal(OrleansProxy.Sip.Parsing.SipParseError.None, ack.Error);
    }
}
