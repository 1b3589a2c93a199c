using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>Requests and answers for the stream transport tests, each told apart by its Call-ID.</summary>
internal static class StreamMessages
{
    public static string Options(string callId, string body = "") =>
        "OPTIONS sip:service@127.0.0.1:5060 SIP/2.0\n" +
        "Via: SIP/2.0/TCP 127.0.0.1:6000;branch=z9hG4bK" + callId + "\n" +
        "Max-Forwards: 70\n" +
        "To: <sip:service@127.0.0.1:5060>\n" +
        "From: <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
        "Call-ID: " + callId + "\n" +
        "CSeq: 1 OPTIONS\n" +
        "Content-Length: " + SipText.Wire(body).Length + "\n" +
        "\n" +
        body;

    /// <param name="via">The Via of whoever gets the answer: the one the request carried, with what the proxy added.</param>
    public static string Answer(string callId, string via) =>
        "SIP/2.0 200 OK\n" +
        "Via: " + via + "\n" +
        "To: <sip:service@127.0.0.1:5060>;tag=answered\n" +
        "From: <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
        "Call-ID: " + callId + "\n" +
        "CSeq: 1 OPTIONS\n" +
        "Content-Length: 0\n" +
        "\n";
}
