using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.Sipp;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// A whole proxy node on real loopback UDP sockets between a user agent and a simulated HA pair: the
/// behaviour DESIGN.md promises, observed from the outside.
/// </summary>
public sealed class ProxyEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // Short, so that a test sees a hold end; every test here starts its own node.
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);

    private SimulatedPairNode pair = null!;

    public async Task InitializeAsync() => pair = await SimulatedPairNode.StartAsync($"--Proxy:Failover:HoldMs={Hold.TotalMilliseconds}");

    public async Task DisposeAsync() => await pair.DisposeAsync();

    [Fact]
    public async Task Call_ThroughTheProxy_ReachesTheActivePrimaryAndCompletes()
    {
        var call = await pair.Caller.PlaceCallAsync(CancellationToken.None);

        Assert.True(call.Succeeded, call.FailureReason);
        Assert.Equal(200, call.InviteStatus);
        Assert.Equal(200, call.ByeStatus);
        Assert.Equal(pair.Primary.EndPoint, call.AnsweredBy);
        var counts = pair.Primary.Counts;
        Assert.Equal(1, counts.InvitesAnswered);
        Assert.Equal(1, counts.AcksReceived);
        Assert.Equal(1, counts.ByesAnswered);
        Assert.Equal(0, pair.Backup.Counts.InvitesReceived);
    }

    [Fact]
    public async Task PrimaryStopsAnswering_NewCallsReachTheBackup()
    {
        await pair.Pair.KillActiveAsync(DeathKind.ClosePort, takeoverDelay: TimeSpan.Zero);

        var status = await pair.Node.WaitForPairAsync(s => s.ActiveRole == MemberRole.Backup, "the switch to the backup");
        var call = await pair.Caller.PlaceCallAsync(CancellationToken.None);

        Assert.Equal(SwitchoverReason.ActiveDown, status.History[^1].Reason);
        Assert.True(call.Succeeded, call.FailureReason);
        Assert.Equal(pair.Backup.EndPoint, call.AnsweredBy);
    }

    [Fact]
    public async Task RequestFromTheStandby_SwitchesAtOnceAndIsForwarded()
    {
        using var target = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var targetEndPoint = (IPEndPoint)target.Client.LocalEndPoint!;

        // The backup has just taken over from a frozen primary; its own request reaches the proxy before two probes go unanswered.
        await pair.Pair.KillActiveAsync(DeathKind.Freeze, takeoverDelay: TimeSpan.Zero);
        var sending = pair.Backup.SendOptionsAsync(pair.Node.Sip, $"sip:agent@{targetEndPoint}", Patience, CancellationToken.None);
        var forwarded = await target.ReceiveAsync().WaitAsync(Patience);

        var status = await pair.Node.PairGrain.GetStatus();
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        Assert.Equal(SwitchoverReason.TrafficFromStandby, status.History[^1].Reason);
        Assert.StartsWith($"OPTIONS sip:agent@{targetEndPoint} SIP/2.0\r\n", Encoding.ASCII.GetString(forwarded.Buffer), StringComparison.Ordinal);
        await target.SendAsync(Encoding.ASCII.GetBytes(Answer(Encoding.ASCII.GetString(forwarded.Buffer))), forwarded.RemoteEndPoint);
        Assert.Equal(200, await sending);

        var call = await pair.Caller.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.FailureReason);
        Assert.Equal(pair.Backup.EndPoint, call.AnsweredBy);
    }

    [Fact]
    public async Task BothMembersDown_OnceTheHoldHasPassedTheProxyAnswersItsOwnOptionsAndNewCallsWith503()
    {
        using var client = new SipOptionsClient();
        var healthy = await client.ProbeAsync(pair.Node.Sip, Patience, CancellationToken.None);
        Assert.Equal("SIP/2.0 200 OK", SipOptionsClient.StatusLine(healthy!));

        await pair.Pair.KillActiveAsync(DeathKind.ClosePort, takeoverDelay: Timeout.InfiniteTimeSpan);
        var down = await pair.Node.WaitForPairAsync(s => !s.Available, "the pair to become unavailable");

        // Within the hold a takeover may still come: clients that moved to another proxy would gain nothing.
        if (DateTimeOffset.UtcNow - down.UnavailableSince < Hold / 2)
        {
            var holding = await client.ProbeAsync(pair.Node.Sip, Patience, CancellationToken.None);
            Assert.Equal("SIP/2.0 200 OK", SipOptionsClient.StatusLine(holding!));
        }

        await Task.Delay(Hold + TimeSpan.FromMilliseconds(200));
        var unavailable = await client.ProbeAsync(pair.Node.Sip, Patience, CancellationToken.None);
        Assert.StartsWith("SIP/2.0 503 ", SipOptionsClient.StatusLine(unavailable!), StringComparison.Ordinal);
        Assert.NotNull(SipOptionsClient.HeaderValue(unavailable!, "Retry-After", "Retry-After"));
        var call = await pair.Caller.PlaceCallAsync(CancellationToken.None);
        Assert.Equal(503, call.InviteStatus);
    }

    [Fact]
    public async Task MalformedRequest_Gets400NamingTheFault_AndTheNextCallIsServed()
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)client.Client.LocalEndPoint!;
        var malformed =
            $"INVITE sip:service@{pair.Node.Sip} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKbad1\r\nMax-Forwards: many\r\n" +
            $"From: <sip:a@{local}>;tag=1\r\nTo: <sip:service@{pair.Node.Sip}>\r\nCall-ID: bad-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

        await client.SendAsync(Encoding.ASCII.GetBytes(malformed), pair.Node.Sip);
        var answer = await client.ReceiveAsync().WaitAsync(Patience);
        var call = await pair.Caller.PlaceCallAsync(CancellationToken.None);

        Assert.Equal("SIP/2.0 400 Bad Request (Max-Forwards not a number)", SipOptionsClient.StatusLine(Encoding.ASCII.GetString(answer.Buffer)));
        Assert.True(call.Succeeded, call.FailureReason);
    }

    // A 200 that copies the request's Via, From, To, Call-ID and CSeq lines, as any UAS would.
    private static string Answer(string request)
    {
        var copied = request.Split("\r\n")
            .Where(line => line.StartsWith("Via:", StringComparison.Ordinal) || line.StartsWith("From:", StringComparison.Ordinal)
                || line.StartsWith("To:", StringComparison.Ordinal) || line.StartsWith("Call-ID:", StringComparison.Ordinal)
                || line.StartsWith("CSeq:", StringComparison.Ordinal));
        return "SIP/2.0 200 OK\r\n" + string.Join("\r\n", copied) + "\r\nContent-Length: 0\r\n\r\n";
    }
}
