using System.Net;
using System.Text;
using OrleansProxy.Silo.Tests.Demo;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>Hand-written requests and answers for tests that need a Request-URI, Route or header the demo peers never send.</summary>
internal static class RawSip
{
    /// <param name="headers">Further header lines without CRLF (Route, X-Route-To, a To with tag...).</param>
    public static string Request(string method, string requestUri, ScriptedSipPeer from, string callId, int cseq = 1, params string[] headers)
    {
        var text = new StringBuilder()
            .Append($"{method} {requestUri} SIP/2.0\r\n")
            .Append($"Via: SIP/2.0/UDP {from.HostPort};branch=z9hG4bK-{Guid.NewGuid():N};rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append($"From: <sip:tester@{from.HostPort}>;tag=t{callId.GetHashCode(StringComparison.Ordinal):x}\r\n");
        if (!headers.Any(h => h.StartsWith("To:", StringComparison.Ordinal)))
        {
            text.Append($"To: <{requestUri}>\r\n");
        }

        text.Append($"Call-ID: {callId}\r\n")
            .Append($"CSeq: {cseq} {method}\r\n")
            .Append($"Contact: <sip:tester@{from.HostPort}>\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return text.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    /// <summary>A final answer to <paramref name="request"/> as a UAS writes it: the request's Vias, From, To with a tag, Call-ID and CSeq.</summary>
    public static string Answer(ScriptedSipPeer.Received request, int status, string reason)
    {
        var lines = Encoding.ASCII.GetString(request.Data, 0, request.Message.BodyOffset).Split("\r\n");
        var text = new StringBuilder($"SIP/2.0 {status} {reason}\r\n");
        foreach (var line in lines)
        {
            if (line.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(line).Append("\r\n");
            }
            else if (line.StartsWith("To:", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(line).Append(";tag=peer\r\n");
            }
        }

        return text.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    /// <summary>Sends <paramref name="request"/> to <paramref name="proxy"/> and returns the first final response, skipping provisionals.</summary>
    public static async Task<ScriptedSipPeer.Received> SendAndAwaitFinalAsync(ScriptedSipPeer from, string request, IPEndPoint proxy)
    {
        await from.SendAsync(request, proxy);
        for (var datagrams = 0; datagrams < 20; datagrams++)
        {
            var received = await from.ReceiveAsync();
            if (received.Message.StatusCode >= 200)
            {
                return received;
            }
        }

        throw new InvalidOperationException("20 datagrams came back without a final response");
    }

    /// <summary>The URI inside the first value of a name-addr header line such as "Contact: &lt;sip:10.0.0.1:5060&gt;".</summary>
    public static string UriOf(string headerLine)
    {
        var open = headerLine.IndexOf('<', StringComparison.Ordinal);
        var close = headerLine.IndexOf('>', open + 1);
        return headerLine[(open + 1)..close];
    }
}
