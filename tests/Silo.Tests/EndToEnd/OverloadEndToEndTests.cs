using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// RFC 6357 §3 on a whole node: a burst of new INVITEs past "Proxy:Overload:InvitesPerSecond" is answered 503 with
/// Retry-After at the door, the INVITEs within the cap go on to the pair, and calls complete again once the cap refills.
/// </summary>
public sealed class OverloadEndToEndTests
{
    private const int Burst = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Rfc6357_InviteBurstPastTheCap_ExcessAnswered503WithRetryAfter_AndCallsCompleteOnceItRefills()
    {
        await using var pair = await SimulatedPairNode.StartAsync("--Proxy:Overload:InvitesPerSecond=1", "--Proxy:Overload:RetryAfterSeconds=3");
        var answers = await SendInviteBurstAsync(pair.Node.Sip, Burst);

        Assert.Equal(Burst, answers.Count);
        var refused = answers.Values.Where(answer => answer.StartsWith("SIP/2.0 503 Service Unavailable (overload: 1 INVITEs per second)\r\n", StringComparison.Ordinal)).ToList();
        var admitted = answers.Values.Count(answer => answer.StartsWith("SIP/2.0 100 ", StringComparison.Ordinal));
        Assert.Equal(Burst, refused.Count + admitted);
        Assert.InRange(admitted, 1, Burst / 2);
        Assert.All(refused, answer => Assert.Contains("\r\nRetry-After: 3\r\n", answer, StringComparison.Ordinal));

        // The cap refills at one INVITE a second: within a few tries a whole call goes through again.
        var completed = false;
        using var deadline = new CancellationTokenSource(Patience);
        while (!completed && !deadline.IsCancellationRequested)
        {
            completed = (await pair.Caller.PlaceCallAsync(CancellationToken.None)).Succeeded;
            if (!completed)
            {
                // Paces the retries of a refused call; the bucket gains a token a second.
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }

        Assert.True(completed, "no call completed after the burst");
    }

    /// <summary>Sends <paramref name="count"/> new INVITEs at once; the first answer to each, by Call-ID.</summary>
    internal static async Task<Dictionary<string, string>> SendInviteBurstAsync(IPEndPoint proxy, int count)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)client.Client.LocalEndPoint!;
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(Encoding.ASCII.GetBytes(Invite($"burst-{i}", local)), proxy);
        }

        // The first answer to each Call-ID.
        var answers = new Dictionary<string, string>();
        foreach (var (callId, text) in await UdpAnswers.ReceiveAsync(client, count, Patience))
        {
            if (callId is not null)
            {
                answers.TryAdd(callId, text);
            }
        }

        return answers;
    }

    private static string Invite(string callId, IPEndPoint local) =>
        "INVITE sip:service@example.com SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {local};branch=z9hG4bK{callId}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:caller@{local}>;tag=1\r\n" +
        "To: <sip:service@example.com>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 INVITE\r\n" +
        $"Contact: <sip:caller@{local}>\r\n" +
        "Content-Length: 0\r\n\r\n";
}
