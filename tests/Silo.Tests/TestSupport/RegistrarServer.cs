using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A SIP server behind a node, on loopback UDP, configured as a pair member: a registrar that answers REGISTER with
/// the bindings it was given, a callee that answers INVITE with 100 and a 200 carrying SDP, and a caller that rings a
/// registered phone back through the Path it registered with. It answers the node's OPTIONS probes, keeps every
/// request and response it received, and sends requests of its own from its SIP port, as a server does.
/// </summary>
internal sealed partial class RegistrarServer : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentQueue<string> responses = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> awaitedResponses = new();
    private readonly Task receiving;
    private int calls;

    public RegistrarServer()
    {
        EndPoint = (IPEndPoint)socket.Client.LocalEndPoint!;
        receiving = ReceiveLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Requests received so far whose method is <paramref name="method"/>, oldest first.</summary>
    public IReadOnlyList<string> RequestsOf(string method) =>
        [.. requests.Where(request => request.StartsWith(method + " ", StringComparison.Ordinal))];

    /// <summary>The latest request of <paramref name="method"/> received, once there is one.</summary>
    public Task<string> WaitForRequestAsync(string method) => WaitForAsync(requests, method + " ", $"a {method} at the server");

    /// <summary>The latest response received whose status line starts with <paramref name="status"/>, e.g. "SIP/2.0 200".</summary>
    public Task<string> WaitForResponseAsync(string status) => WaitForAsync(responses, status, $"a '{status}' response at the server");

    /// <summary>Sends <paramref name="text"/>, written with "\n" line ends, as CRLF from the server's SIP port.</summary>
    public Task SendAsync(string text, IPEndPoint destination) =>
        SendWireAsync(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal), destination);

    /// <summary>
    /// Calls a registered phone the way a PBX does: an INVITE to the Contact it registered, with its Path as the
    /// route set, sent to the first hop of that Path; then the ACK and, after <paramref name="talk"/>, the BYE.
    /// </summary>
    /// <returns>The final status of the INVITE and of the BYE.</returns>
    public async Task<(int Invite, int Bye)> CallRegisteredPhoneAsync(string register, IPEndPoint firstHop, TimeSpan talk)
    {
        var contact = UriOf(HeaderValues(register, "Contact", "m")[0]);
        var path = HeaderValues(register, "Path", null);
        var callId = $"callback-{Interlocked.Increment(ref calls)}@{EndPoint}";
        var routes = string.Concat(path.Select(hop => $"Route: {hop}\r\n"));
        var invite = Request("INVITE", contact, callId, 1, toTag: null, routes, Sdp());
        var ok = await SendAndAwaitFinalAsync(invite, firstHop, callId, "INVITE");
        var inviteStatus = StatusOf(ok);
        if (inviteStatus != 200)
        {
            return (inviteStatus, 0);
        }

        // The dialog's route set is the 200's Record-Route, reversed for the caller (RFC 3261 §12.1.2).
        var recordRoutes = HeaderValues(ok, "Record-Route", null).Reverse();
        var dialogRoutes = string.Concat(recordRoutes.Select(hop => $"Route: {hop}\r\n"));
        var remoteTarget = UriOf(HeaderValues(ok, "Contact", "m")[0]);
        var toTag = TagRegex().Match(HeaderValues(ok, "To", "t")[0]).Groups[1].Value;
        await SendWireAsync(Request("ACK", remoteTarget, callId, 1, toTag, dialogRoutes, body: null), firstHop);
        await Task.Delay(talk);
        var byeOk = await SendAndAwaitFinalAsync(Request("BYE", remoteTarget, callId, 2, toTag, dialogRoutes, body: null), firstHop, callId, "BYE");
        return (inviteStatus, StatusOf(byeOk));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        socket.Dispose();
        try
        {
            await receiving;
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        stopping.Dispose();
    }

    /// <summary>The values of one header, in order, comma-separated values split; a name-addr keeps its brackets.</summary>
    public static IReadOnlyList<string> HeaderValues(string message, string name, string? compact)
    {
        var values = new List<string>();
        foreach (var line in message[..message.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var header = line[..colon].Trim();
            if (header.Equals(name, StringComparison.OrdinalIgnoreCase) || (compact is not null && header.Equals(compact, StringComparison.OrdinalIgnoreCase)))
            {
                values.AddRange(SplitValues(line[(colon + 1)..]));
            }
        }

        return values;
    }

    public static int StatusOf(string response) => int.Parse(response.AsSpan(8, 3), CultureInfo.InvariantCulture);

    // Commas inside <...> or "..." belong to the value.
    private static IEnumerable<string> SplitValues(string text)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '<' when !quoted:
                    depth++;
                    break;
                case '>' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..].Trim();
    }

    private static string UriOf(string nameAddress)
    {
        var open = nameAddress.IndexOf('<', StringComparison.Ordinal);
        return open < 0 ? nameAddress.Split(';')[0] : nameAddress[(open + 1)..nameAddress.IndexOf('>', open)];
    }

    private static string Sdp() =>
        "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 39000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private string Request(string method, string requestUri, string callId, int sequence, string? toTag, string routes, string? body)
    {
        var branch = method == "ACK" ? $"z9hG4bK-ack-{callId}" : $"z9hG4bK-{method}-{sequence}-{callId}";
        var text = new StringBuilder()
            .Append($"{method} {requestUri} SIP/2.0\r\n")
            .Append($"Via: SIP/2.0/UDP {EndPoint};branch={branch}\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append(routes)
            .Append($"From: <sip:pbx@{EndPoint.Address}>;tag=pbx\r\n")
            .Append($"To: <{requestUri}>{(toTag is null ? string.Empty : $";tag={toTag}")}\r\n")
            .Append($"Call-ID: {callId}\r\n")
            .Append($"CSeq: {sequence} {method}\r\n")
            .Append($"Contact: <sip:pbx@{EndPoint}>\r\n");
        if (body is not null)
        {
            text.Append("Content-Type: application/sdp\r\n");
        }

        return text.Append($"Content-Length: {Encoding.ASCII.GetByteCount(body ?? string.Empty)}\r\n\r\n").Append(body).ToString();
    }

    private async Task<string> SendAndAwaitFinalAsync(string request, IPEndPoint destination, string callId, string method)
    {
        var final = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        awaitedResponses[$"{callId} {method}"] = final;
        await SendWireAsync(request, destination);
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        await using var _ = timeout.Token.Register(() => final.TrySetResult($"SIP/2.0 000 no final response to {method} within {AnswerTimeout}\r\n\r\n"));
        return await final.Task;
    }

    private static Task<string> WaitForAsync(ConcurrentQueue<string> received, string prefix, string what) =>
        Eventually.Satisfies(
                () => Task.FromResult(received.Where(message => message.StartsWith(prefix, StringComparison.Ordinal)).ToArray()),
                found => found.Length > 0,
                what)
            .ContinueWith(found => found.Result[^1], TaskScheduler.Default);

    private async Task SendWireAsync(string message, IPEndPoint destination) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), destination, stopping.Token);

    private async Task ReceiveLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await socket.ReceiveAsync(stopping.Token);
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier send (a peer gone); the socket still serves.
                continue;
            }

            var message = Encoding.UTF8.GetString(datagram.Buffer);
            if (message.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
            {
                responses.Enqueue(message);
                TakeResponse(message);
                continue;
            }

            if (message.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                requests.Enqueue(message);
                await AnswerAsync(message, datagram.RemoteEndPoint);
            }
        }
    }

    private void TakeResponse(string response)
    {
        if (StatusOf(response) < 200)
        {
            return;
        }

        var callId = HeaderValues(response, "Call-ID", "i")[0];
        var method = HeaderValues(response, "CSeq", null)[0].Split(' ')[1];
        if (awaitedResponses.TryRemove($"{callId} {method}", out var final))
        {
            final.TrySetResult(response);
        }
    }

    private async Task AnswerAsync(string request, IPEndPoint source)
    {
        var method = request[..request.IndexOf(' ', StringComparison.Ordinal)];
        switch (method)
        {
            case "ACK":
                return;
            case "REGISTER":
                var contacts = HeaderValues(request, "Contact", "m");
                var bindings = string.Concat(contacts.Select(contact => $"Contact: {contact};expires=3600\r\n"));
                await SendWireAsync(Response(request, "200 OK", bindings, body: null), source);
                return;
            case "INVITE":
                await SendWireAsync(Response(request, "100 Trying", string.Empty, body: null), source);
                await SendWireAsync(Response(request, "200 OK", $"Contact: <sip:pbx@{EndPoint}>\r\n", Sdp()), source);
                return;
            default:
                await SendWireAsync(Response(request, "200 OK", string.Empty, body: null), source);
                return;
        }
    }

    private static string Response(string request, string status, string extraHeaders, string? body)
    {
        var text = new StringBuilder($"SIP/2.0 {status}\r\n");
        foreach (var line in request[..request.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n").Skip(1))
        {
            var name = line[..Math.Max(0, line.IndexOf(':', StringComparison.Ordinal))].Trim();
            if (IsOneOf(name, "Via", "v", "From", "f", "Call-ID", "i", "CSeq", null, "Record-Route", null))
            {
                text.Append(line).Append("\r\n");
            }
            else if (IsOneOf(name, "To", "t"))
            {
                var tagged = line.Contains(";tag=", StringComparison.Ordinal) || status.StartsWith("100", StringComparison.Ordinal);
                text.Append(line).Append(tagged ? string.Empty : ";tag=pbx-to").Append("\r\n");
            }
        }

        text.Append(extraHeaders);
        if (body is not null)
        {
            text.Append("Content-Type: application/sdp\r\n");
        }

        return text.Append($"Content-Length: {Encoding.ASCII.GetByteCount(body ?? string.Empty)}\r\n\r\n").Append(body).ToString();
    }

    private static bool IsOneOf(string name, params string?[] names) =>
        names.Any(candidate => candidate is not null && name.Equals(candidate, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(";tag=([^;>\\s]+)")]
    private static partial Regex TagRegex();
}
