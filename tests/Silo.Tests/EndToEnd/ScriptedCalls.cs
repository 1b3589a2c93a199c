using System.Net;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>Calls driven by hand with <see cref="ScriptedSipPeer"/>s: the INVITE a caller sends, a server's answers, and waits that skip probes.</summary>
internal static class ScriptedCalls
{
    /// <param name="callId">Also makes the branch, so that two calls are two transactions.</param>
    public static string Invite(ScriptedSipPeer caller, IPEndPoint proxy, string callId = "retransmitted-invite") =>
        $"INVITE sip:service@{proxy} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {caller.HostPort};branch=z9hG4bK{callId};rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"To: <sip:service@{proxy}>\r\n" +
        $"From: <sip:caller@{caller.HostPort}>;tag=c1\r\n" +
        $"Call-ID: {callId}@127.0.0.1\r\n" +
        "CSeq: 1 INVITE\r\n" +
        $"Contact: <sip:caller@{caller.HostPort}>\r\n" +
        "Content-Length: 0\r\n\r\n";

    public static string Response(ScriptedSipPeer.Received request, int status, string reason)
    {
        var lines = new List<string> { $"SIP/2.0 {status} {reason}" };
        foreach (var header in request.Message.Headers)
        {
            var line = request.Text(header.Line).TrimEnd('\r', '\n');
            if (header.Kind is HeaderKind.Via or HeaderKind.From or HeaderKind.CallId or HeaderKind.CSeq)
            {
                lines.Add(line);
            }
            else if (header.Kind == HeaderKind.To)
            {
                lines.Add(line + ";tag=srv");
            }
        }

        return string.Join("\r\n", lines) + "\r\nContent-Length: 0\r\n\r\n";
    }

    public static Task<ScriptedSipPeer.Received> FinalResponseAsync(ScriptedSipPeer peer, TimeSpan timeout) =>
        FirstResponseAsync(peer, status => status >= 200, timeout);

    public static async Task<ScriptedSipPeer.Received> FirstResponseAsync(ScriptedSipPeer peer, Func<int, bool> status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        for (var i = 0; i < 100; i++)
        {
            var received = await peer.ReceiveAsync(TimeSpan.FromTicks(Math.Max(1, (deadline - DateTime.UtcNow).Ticks)));
            if (!received.Message.IsRequest && status(received.Message.StatusCode))
            {
                return received;
            }
        }

        throw new InvalidOperationException("a hundred messages and not the response waited for");
    }

    public static async Task<ScriptedSipPeer.Received> NextRequestAsync(ScriptedSipPeer peer, string method)
    {
        var request = await TryNextRequestAsync(peer, method, TimeSpan.FromSeconds(15));
        Assert.True(request is not null, $"no {method} arrived");
        return request;
    }

    /// <summary>
    /// The peers also receive the proxy's OPTIONS probes: those are answered 200 and skipped, so that a peer read by
    /// a test serves like a server would (a node holds requests until a member serves).
    /// </summary>
    public static async Task<ScriptedSipPeer.Received?> TryNextRequestAsync(ScriptedSipPeer peer, string method, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var i = 0; i < 100; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            var received = await peer.TryReceiveAsync(left);
            if (received is null || (received.Message.IsRequest && received.Method == method))
            {
                return received;
            }

            if (received.Message.IsRequest && received.Method == "OPTIONS")
            {
                await peer.SendAsync(Response(received, 200, "OK"), received.Source);
            }
        }

        return null;
    }
}
