using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// One call as a user agent places it through the proxy on any channel: INVITE, final response, ACK and BYE
/// along the route set the 200 OK's Record-Route gave (RFC 3261 §12.1.2).
/// </summary>
internal static partial class SipCall
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <param name="bodyBytes">Size of the INVITE's body, to make it as large as a test needs.</param>
    public static async Task<CallOutcome> PlaceAsync(ISipChannel channel, IPEndPoint proxy, int bodyBytes = 4)
    {
        var callId = Guid.NewGuid().ToString("N");
        var body = new string('x', Math.Max(0, bodyBytes - 2)) + "\r\n";
        var invite = Request("INVITE", $"sip:service@{HostPort.Of(proxy)}", channel, callId, 1, routes: [], body);
        await channel.SendAsync(invite);
        var answer = await FinalResponseAsync(channel, "INVITE");
        if (answer is null || StatusOf(answer) != 200)
        {
            return new CallOutcome(answer is null ? 0 : StatusOf(answer), 0);
        }

        var target = ContactOf(answer);
        var routes = RecordRoutes(answer).Reverse().ToArray();
        var toTag = ToTag().Match(answer).Groups["tag"].Value;
        await channel.SendAsync(Request("ACK", target, channel, callId, 1, routes, string.Empty, toTag));
        await channel.SendAsync(Request("BYE", target, channel, callId, 2, routes, string.Empty, toTag));
        var byeAnswer = await FinalResponseAsync(channel, "BYE");
        return new CallOutcome(200, byeAnswer is null ? 0 : StatusOf(byeAnswer));
    }

    public static int StatusOf(string response) => int.Parse(response.AsSpan(8, 3), CultureInfo.InvariantCulture);

    private static async Task<string?> FinalResponseAsync(ISipChannel channel, string method)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var message = await channel.ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null)
            {
                return null;
            }

            if (message.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && StatusOf(message) >= 200 && message.Contains($" {method}\r\n", StringComparison.Ordinal))
            {
                return message;
            }
        }

        return null;
    }

    private static string Request(string method, string uri, ISipChannel channel, string callId, int sequence, string[] routes, string body, string? toTag = null)
    {
        var local = channel.LocalHostPort;
        var routeLines = string.Concat(routes.Select(route => $"Route: {route}\r\n"));
        var cseqNumber = method == "ACK" ? 1 : sequence;
        return $"{method} {uri} SIP/2.0\r\n" +
            $"Via: SIP/2.0/{channel.ViaTransport} {local};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            routeLines +
            $"From: <sip:caller@{local}>;tag=caller-tag\r\n" +
            $"To: <sip:service@example.com>{(toTag is null ? string.Empty : $";tag={toTag}")}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseqNumber} {method}\r\n" +
            $"Contact: <sip:caller@{local};transport={channel.ViaTransport.ToLowerInvariant()}>\r\n" +
            (body.Length > 0 ? "Content-Type: text/plain\r\n" : string.Empty) +
            $"Content-Length: {body.Length}\r\n\r\n" + body;
    }

    private static string ContactOf(string response) => ContactUri().Match(response).Groups["uri"].Value;

    private static IEnumerable<string> RecordRoutes(string response) =>
        RecordRouteLine().Matches(response).SelectMany(match => match.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"\r\nContact: <(?<uri>[^>]+)>")]
    private static partial Regex ContactUri();

    [GeneratedRegex(@"\r\nRecord-Route: (?<values>[^\r]+)")]
    private static partial Regex RecordRouteLine();

    [GeneratedRegex(@"\r\nTo: [^\r]*;tag=(?<tag>[^;\r]+)")]
    private static partial Regex ToTag();
}
