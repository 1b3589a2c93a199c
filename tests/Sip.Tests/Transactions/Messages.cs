using System.Net;
using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Transactions;

/// <summary>Requests and the responses a next hop would give them, as text with "\n" line ends.</summary>
internal static class Messages
{
    public static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);
    public static readonly IPEndPoint Primary = new(IPAddress.Loopback, 5070);
    public static readonly IPEndPoint Backup = new(IPAddress.Loopback, 5080);

    public static string Request(string method, string branch = "z9hG4bK776asdhds", int cseq = 314159, string? toTag = null) =>
        $"{method} sip:service@127.0.0.1:5060 SIP/2.0\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:6000;branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        $"To: Service <sip:service@127.0.0.1:5060>{(toTag is null ? string.Empty : ";tag=" + toTag)}\n" +
        "From: Alice <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
        "Call-ID: a84b4c76e66710@127.0.0.1\n" +
        $"CSeq: {cseq} {method}\n" +
        "Contact: <sip:alice@127.0.0.1:6000>\n" +
        "Content-Length: 0\n" +
        "\n";

    /// <summary>The response a next hop gives <paramref name="request"/>: its Vias, From, Call-ID, CSeq, and To with a tag past 100.</summary>
    public static string Response(string request, int status, string reason, string toTag = "srv1")
    {
        var message = SipText.Parse(request);
        var text = new StringBuilder($"SIP/2.0 {status} {reason}\n");
        foreach (var header in message.Headers)
        {
            var name = message.Of(header.Name);
            var value = message.Of(header.Value);
            if (header.Kind is HeaderKind.Via or HeaderKind.From or HeaderKind.CallId or HeaderKind.CSeq)
            {
                text.Append(name).Append(": ").Append(value).Append('\n');
            }
            else if (header.Kind == HeaderKind.To)
            {
                text.Append(name).Append(": ").Append(value).Append(status > 100 && !value.Contains(";tag=", StringComparison.Ordinal) ? ";tag=" + toTag : string.Empty).Append('\n');
            }
        }

        return text.Append("Content-Length: 0\n\n").ToString();
    }

    public static SipMessage Parse(string text) => SipText.Parse(text);

    public static string FirstLine(string text) => text[..text.IndexOf('\n', StringComparison.Ordinal)];

    /// <summary>The branch of the top Via.</summary>
    public static string TopBranch(string text)
    {
        var start = text.IndexOf(";branch=", StringComparison.Ordinal) + 8;
        var end = text.IndexOfAny([';', '\n'], start);
        return text[start..end];
    }
}
