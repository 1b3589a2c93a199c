using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// A burst of malformed datagrams (requests that must get a 400 naming their fault, unanswerable garbage,
/// malformed responses) sent while calls go through the running node: the calls complete, every answerable
/// request gets its 400, and the proxy stays up.
/// </summary>
public sealed class MalformedBurstTests : IAsyncLifetime
{
    private const int Calls = 4;
    private const int Rounds = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private SimulatedPairNode pair = null!;

    public async Task InitializeAsync() => pair = await SimulatedPairNode.StartAsync();

    public async Task DisposeAsync() => await pair.DisposeAsync();

    [Fact]
    public async Task MalformedBurst_InterleavedWithCalls_EveryCallCompletesAndEveryAnswerableRequestGetsIts400()
    {
        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)attacker.Client.LocalEndPoint!;
        var expected = new Dictionary<string, string>();
        var random = new Random(4475);

        var calls = PlaceCallsAsync();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (fault, statusLine) in Faults)
            {
                var callId = $"burst-{round}-{expected.Count}";
                expected[callId] = statusLine;
                await attacker.SendAsync(Encoding.ASCII.GetBytes(MalformedRequest(fault, callId, local)), pair.Node.Sip);
            }

            await attacker.SendAsync(Garbage(random), pair.Node.Sip);
            await attacker.SendAsync(Encoding.ASCII.GetBytes($"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP {pair.Node.Sip};branch=z9hG4bKop\r\nCSeq: x\r\n\r\n"), pair.Node.Sip);
        }

        var answers = new Dictionary<string, string>();
        foreach (var (callId, text) in await UdpAnswers.ReceiveAsync(attacker, expected.Count, Patience))
        {
            Assert.NotNull(callId);
            Assert.True(answers.TryAdd(callId, text.Split("\r\n")[0]), $"a second answer for {callId}");
        }

        var results = await calls;

        Assert.All(results, call => Assert.True(call.Succeeded, call.FailureReason));
        Assert.Equal(expected.OrderBy(pair => pair.Key), answers.OrderBy(pair => pair.Key));
        var after = await pair.Caller.PlaceCallAsync(CancellationToken.None);
        Assert.True(after.Succeeded, after.FailureReason);
    }

    /// <summary>Each request fault a phone or scanner might send, with the exact status line the proxy owes it.</summary>
    private static readonly (string Fault, string StatusLine)[] Faults =
    [
        ("Max-Forwards: many", "SIP/2.0 400 Bad Request (Max-Forwards not a number)"),
        ("To: \"unterminated <sip:service@example.com>", "SIP/2.0 400 Bad Request (malformed To)"),
        ("CSeq: 1 BYE", "SIP/2.0 400 Bad Request (CSeq method does not match the request method)"),
        ("Content-Length: 900", "SIP/2.0 400 Bad Request (Content-Length larger than the message)"),
        ("Max-Forwards: 300", "SIP/2.0 400 Bad Request (Max-Forwards over 255)"),
    ];

    private async Task<List<CallResult>> PlaceCallsAsync()
    {
        var results = new List<CallResult>();
        for (var i = 0; i < Calls; i++)
        {
            results.Add(await pair.Caller.PlaceCallAsync(CancellationToken.None));
        }

        return results;
    }

    private static string MalformedRequest(string fault, string callId, IPEndPoint local)
    {
        var headers = new List<string>
        {
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK{callId}",
            "Max-Forwards: 70",
            $"From: <sip:scanner@{local}>;tag=1",
            "To: <sip:service@example.com>",
            $"Call-ID: {callId}",
            "CSeq: 1 INVITE",
            "Content-Length: 0",
        };
        var replaced = headers.FindIndex(line => line.StartsWith(fault[..fault.IndexOf(':', StringComparison.Ordinal)], StringComparison.Ordinal));
        headers[replaced] = fault;
        return "INVITE sip:service@example.com SIP/2.0\r\n" + string.Concat(headers.Select(line => line + "\r\n")) + "\r\n";
    }

    private static byte[] Garbage(Random random)
    {
        var bytes = new byte[random.Next(1, 1400)];
        random.NextBytes(bytes);
        return bytes;
    }
}
