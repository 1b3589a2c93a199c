using System.Diagnostics;
using System.Net;
using System.Text;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.WarmUp;

/// <summary>
/// Runs whole calls through a proxy core before the node takes traffic, so that the first real callers do not pay for
/// JIT compilation, type loading and the first tiering of the hot path: receive, parse, validate, route, forward-rewrite,
/// answer, and the responses back along Via. The proxy under warm-up is built by the caller exactly as the real one,
/// but on <see cref="Transport"/>, which has no socket, and <see cref="Resolver"/>, which asks no grain; the caller
/// gives it metrics and loggers that nobody reads, so operators see nothing of the synthetic calls.
/// </summary>
public sealed class HotPathWarmUp
{
    private static readonly IPEndPoint Caller = new(IPAddress.Parse("192.0.2.10"), 5060);

    private readonly WarmUpTransport transport = new();

    public ISipTransport Transport => transport;

    public ITargetResolver Resolver { get; } = new WarmUpResolver();

    /// <summary>Runs up to <paramref name="calls"/> calls (INVITE, 180, 200, ACK, BYE, 200, and an OPTIONS to the proxy), stopping early past <paramref name="budget"/>.</summary>
    /// <returns>Calls run, and those whose every answer reached the caller: fewer means the core did not go the way real traffic goes.</returns>
    public async Task<WarmUpResult> RunAsync(ISipMessageHandler proxy, int calls, TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var run = 0;
        var completed = 0;
        while (run < calls && Stopwatch.GetElapsedTime(started) < budget)
        {
            if (await RunCallAsync(proxy, run++, cancellationToken).ConfigureAwait(false))
            {
                completed++;
            }
        }

        return new WarmUpResult(run, completed);
    }

    private async Task<bool> RunCallAsync(ISipMessageHandler proxy, int call, CancellationToken cancellationToken)
    {
        var callId = $"warm-up-{call}@192.0.2.10";
        var branch = $"z9hG4bK-warm-up-{call}";
        var proxyUri = $"sip:{WarmUpTransport.Address}";
        var serverUri = $"sip:server@{WarmUpResolver.Server}";
        var answered = 0;

        const string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        var invite = await SendRequestAsync(proxy, Request("INVITE", $"sip:service@{WarmUpTransport.Address}", callId, branch, 1, sdp), cancellationToken).ConfigureAwait(false);
        if (invite is not null)
        {
            answered += await AnswerAsync(proxy, invite, "180 Ringing", cancellationToken).ConfigureAwait(false);
            answered += await AnswerAsync(proxy, invite, "200 OK", cancellationToken).ConfigureAwait(false);
        }

        await SendRequestAsync(proxy, Request("ACK", serverUri, callId, branch + "-ack", 1, string.Empty, toTag: true, route: proxyUri), cancellationToken).ConfigureAwait(false);
        var bye = await SendRequestAsync(proxy, Request("BYE", serverUri, callId, branch + "-bye", 2, string.Empty, toTag: true, route: proxyUri), cancellationToken).ConfigureAwait(false);
        if (bye is not null)
        {
            answered += await AnswerAsync(proxy, bye, "200 OK", cancellationToken).ConfigureAwait(false);
        }

        await proxy.HandleAsync(Request("OPTIONS", proxyUri, callId + "-options", branch + "-options", 1, string.Empty), Caller, transport, cancellationToken).ConfigureAwait(false);
        answered += CountAnswersToCaller(transport.TakeSent(), "200");
        return answered == 4;
    }

    /// <returns>The request as the proxy forwarded it to the server; null when it did not.</returns>
    private async Task<string?> SendRequestAsync(ISipMessageHandler proxy, byte[] request, CancellationToken cancellationToken)
    {
        await proxy.HandleAsync(request, Caller, transport, cancellationToken).ConfigureAwait(false);
        string? forwarded = null;
        foreach (var (message, destination) in transport.TakeSent())
        {
            if (destination.Equals(WarmUpResolver.Server))
            {
                forwarded = Encoding.ASCII.GetString(message);
            }
        }

        return forwarded;
    }

    /// <returns>1 when the response reached the caller, else 0.</returns>
    private async Task<int> AnswerAsync(ISipMessageHandler proxy, string forwarded, string status, CancellationToken cancellationToken)
    {
        await proxy.HandleAsync(Response(forwarded, status), WarmUpResolver.Server, transport, cancellationToken).ConfigureAwait(false);
        return CountAnswersToCaller(transport.TakeSent(), status[..3]);
    }

    private static int CountAnswersToCaller(List<(byte[] Message, IPEndPoint Destination)> sent, string code)
    {
        var answers = 0;
        foreach (var (message, destination) in sent)
        {
            if (destination.Equals(Caller) && message.AsSpan().StartsWith(Encoding.ASCII.GetBytes($"SIP/2.0 {code} ")))
            {
                answers++;
            }
        }

        return answers > 0 ? 1 : 0;
    }

    private static byte[] Request(string method, string uri, string callId, string branch, int sequence, string body, bool toTag = false, string? route = null)
    {
        var text = new StringBuilder()
            .Append(method).Append(' ').Append(uri).Append(" SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=").Append(branch).Append(";rport\r\n")
            .Append("Max-Forwards: 70\r\n");
        if (route is not null)
        {
            text.Append("Route: <").Append(route).Append(";lr>\r\n");
        }

        text.Append("From: <sip:caller@192.0.2.10>;tag=warm-up\r\n")
            .Append("To: <sip:service@192.0.2.1>").Append(toTag ? ";tag=server\r\n" : "\r\n")
            .Append("Call-ID: ").Append(callId).Append("\r\n")
            .Append("CSeq: ").Append(sequence).Append(' ').Append(method).Append("\r\n")
            .Append("Contact: <sip:caller@192.0.2.10:5060>\r\n");
        if (body.Length > 0)
        {
            text.Append("Content-Type: application/sdp\r\n");
        }

        text.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n").Append(body);
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    // The server's answer to the forwarded request: its Via, From, Call-ID, CSeq and Record-Route as they arrived, as a UAS copies them (RFC 3261 §8.2.6.2).
    private static byte[] Response(string forwarded, string status)
    {
        var text = new StringBuilder().Append("SIP/2.0 ").Append(status).Append("\r\n");
        foreach (var line in forwarded[..forwarded.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n"))
        {
            if (line.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) ||
                line.StartsWith("Record-Route:", StringComparison.OrdinalIgnoreCase) ||
                line.StartsWith("From:", StringComparison.OrdinalIgnoreCase) ||
                line.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase) ||
                line.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(line).Append("\r\n");
            }
            else if (line.StartsWith("To:", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(line.Contains(";tag=", StringComparison.Ordinal) ? line : line + ";tag=server").Append("\r\n");
            }
        }

        text.Append("Contact: <sip:server@192.0.2.20:5060>\r\nContent-Length: 0\r\n\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
