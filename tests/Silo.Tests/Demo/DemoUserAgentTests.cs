using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Silo.Demo;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Silo.Tests.Demo;

public sealed class DemoUserAgentTests
{
    private static readonly DemoUserAgentOptions FastOptions = new()
    {
        Timers = new SipTimers(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)),
        InviteTimeout = TimeSpan.FromSeconds(10),
        ByeTimeout = TimeSpan.FromSeconds(10),
        HoldTime = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task PlaceCallAsync_ActiveServer_SucceedsAndServerCountsIt()
    {
        await using var server = StartServer(ServerRole.Active);
        await using var agent = Bind(server.EndPoint, FastOptions);

        var result = await agent.PlaceCallAsync(CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(1, result.CallNumber);
        Assert.Equal(200, result.InviteStatus);
        Assert.Equal(200, result.ByeStatus);
        Assert.Null(result.FailureReason);
        Assert.Equal(server.EndPoint, result.AnsweredBy);
        Assert.Equal(1, server.Counts.InvitesAnswered);
        Assert.Equal(1, server.Counts.ByesAnswered);
        await Eventually(() => server.Counts.AcksReceived == 1);
    }

    [Fact]
    public async Task PlaceCallAsync_StandbyServer_StillAnswered()
    {
        await using var server = StartServer(ServerRole.Standby);
        await using var agent = Bind(server.EndPoint, FastOptions);

        var result = await agent.PlaceCallAsync(CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(ServerRole.Standby, server.Role);
    }

    [Fact]
    public async Task RunLoadAsync_TwentyCalls_AllSucceedInOrder()
    {
        await using var server = StartServer(ServerRole.Active);
        await using var agent = Bind(server.EndPoint, FastOptions);
        var completed = 0;

        var results = await agent.RunLoadAsync(20, 100, TimeSpan.FromSeconds(30), _ => Interlocked.Increment(ref completed), CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 20), results.Select(result => result.CallNumber));
        Assert.All(results, result => Assert.True(result.Succeeded, result.FailureReason));
        Assert.Equal(20, completed);
        Assert.Equal(20, server.Counts.InvitesAnswered);
        Assert.Equal(20, server.Counts.ByesAnswered);
    }

    [Fact]
    public async Task RunLoadAsync_DurationShorterThanCalls_StopsStarting()
    {
        await using var server = StartServer(ServerRole.Active);
        await using var agent = Bind(server.EndPoint, FastOptions);

        var results = await agent.RunLoadAsync(1000, 10, TimeSpan.FromMilliseconds(250), null, CancellationToken.None);

        Assert.Equal(3, results.Count);
    }

    [Fact]
    public async Task PlaceCallAsync_ServerCrashed_FailsOnTimerB()
    {
        await using var server = StartServer(ServerRole.Active);
        await using var agent = Bind(server.EndPoint, FastOptions with { InviteTimeout = TimeSpan.FromSeconds(1) });
        server.Crash();

        var result = await agent.PlaceCallAsync(CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.InviteStatus);
        Assert.Null(result.AnsweredBy);
        Assert.NotNull(result.FailureReason);
        Assert.True(result.SetupTime >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task PlaceCallAsync_FirstInviteUnanswered_RetransmitsThenFollowsRouteSet()
    {
        using var peer = new ScriptedSipPeer();
        await using var agent = Bind(peer.EndPoint, FastOptions);
        var recordRoute = $"<sip:{peer.HostPort};lr>";

        var call = agent.PlaceCallAsync(CancellationToken.None);
        var invite = await peer.ReceiveAsync();
        var retransmitted = await peer.ReceiveAsync();
        await peer.SendAsync(SimulatedResponses.Write(invite.Message, 200, "OK", "callee", "<sip:127.0.0.1:5999>", copyRecordRoutes: false, extraHeaderLines: $"Record-Route: {recordRoute}\r\n"), invite.Source);
        var ack = await NextOtherThan(peer, "INVITE");
        var bye = await peer.ReceiveAsync();
        await peer.SendAsync(SimulatedResponses.Write(bye.Message, 200, "OK"), bye.Source);
        var result = await call;

        Assert.Equal("INVITE", invite.Method);
        Assert.Equal(invite.Data, retransmitted.Data);
        Assert.Equal(agent.LocalEndPoint, invite.Source);
        Assert.Equal("application/sdp", invite.Header(HeaderKind.ContentType));
        Assert.Equal(invite.Message.ContentLength, invite.Message.BodyLength);
        Assert.Equal("ACK", ack.Method);
        Assert.Equal("sip:127.0.0.1:5999", ack.Text(ack.Message.RequestUri));
        Assert.Equal(recordRoute, ack.Text(Assert.Single(ack.Message.Routes).Value));
        Assert.Equal("callee", ack.Text(ack.Message.ToTag));
        Assert.NotEqual(invite.Branch, ack.Branch);
        Assert.Equal("BYE", bye.Method);
        Assert.Equal(2, bye.Message.CSeqNumber);
        Assert.Equal("sip:127.0.0.1:5999", bye.Text(bye.Message.RequestUri));
        Assert.Equal(recordRoute, bye.Text(Assert.Single(bye.Message.Routes).Value));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5999), result.AnsweredBy);
    }

    [Fact]
    public async Task PlaceCallAsync_Rejected_AcknowledgedInInviteTransaction()
    {
        using var peer = new ScriptedSipPeer();
        await using var agent = Bind(peer.EndPoint, FastOptions);

        var call = agent.PlaceCallAsync(CancellationToken.None);
        var invite = await peer.ReceiveAsync();
        await peer.SendAsync(SimulatedResponses.Write(invite.Message, 486, "Busy Here", "callee"), invite.Source);
        var ack = await NextOtherThan(peer, "INVITE");
        var result = await call;

        Assert.Equal("ACK", ack.Method);
        Assert.Equal(invite.Branch, ack.Branch);
        Assert.Equal(invite.Text(invite.Message.RequestUri), ack.Text(ack.Message.RequestUri));
        Assert.Equal("callee", ack.Text(ack.Message.ToTag));
        Assert.False(result.Succeeded);
        Assert.Equal(486, result.InviteStatus);
        Assert.Equal(0, result.ByeStatus);
    }

    [Fact]
    public async Task PlaceCallAsync_OkRetransmitted_AcknowledgedAgain()
    {
        using var peer = new ScriptedSipPeer();
        await using var agent = Bind(peer.EndPoint, FastOptions with { HoldTime = TimeSpan.FromSeconds(1) });

        var call = agent.PlaceCallAsync(CancellationToken.None);
        var invite = await peer.ReceiveAsync();
        var ok = SimulatedResponses.Write(invite.Message, 200, "OK", "callee", $"<sip:{peer.HostPort}>");
        await peer.SendAsync(ok, invite.Source);
        var ack = await NextOtherThan(peer, "INVITE");
        await peer.SendAsync(ok, invite.Source);
        var ackAgain = await peer.ReceiveAsync();
        var bye = await peer.ReceiveAsync();
        await peer.SendAsync(SimulatedResponses.Write(bye.Message, 200, "OK"), bye.Source);
        var result = await call;

        Assert.Equal("ACK", ack.Method);
        Assert.Equal(ack.Data, ackAgain.Data);
        Assert.Equal("BYE", bye.Method);
        Assert.True(result.Succeeded, result.FailureReason);
    }

    [Fact]
    public async Task PlaceCallAsync_ByeUnanswered_RetransmitsAndFailsOnTimerF()
    {
        using var peer = new ScriptedSipPeer();
        await using var agent = Bind(peer.EndPoint, FastOptions with { ByeTimeout = TimeSpan.FromSeconds(1) });

        var call = agent.PlaceCallAsync(CancellationToken.None);
        var invite = await peer.ReceiveAsync();
        await peer.SendAsync(SimulatedResponses.Write(invite.Message, 200, "OK", "callee", $"<sip:{peer.HostPort}>"), invite.Source);
        await NextOtherThan(peer, "INVITE");
        var bye = await peer.ReceiveAsync();
        var byeAgain = await peer.ReceiveAsync();
        var result = await call;

        Assert.Equal("BYE", bye.Method);
        Assert.Equal(bye.Data, byeAgain.Data);
        Assert.False(result.Succeeded);
        Assert.Equal(200, result.InviteStatus);
        Assert.Equal(0, result.ByeStatus);
        Assert.Equal(peer.EndPoint, result.AnsweredBy);
    }

    private static SimulatedSipServer StartServer(ServerRole role) =>
        SimulatedSipServer.Start("test", new IPEndPoint(IPAddress.Loopback, 0), role, SimulatedSipServerOptions.Default, NullLogger<SimulatedSipServer>.Instance, TimeProvider.System);

    private static DemoUserAgent Bind(IPEndPoint proxy, DemoUserAgentOptions options) =>
        DemoUserAgent.Bind(new IPEndPoint(IPAddress.Loopback, 0), proxy, options, NullLogger<DemoUserAgent>.Instance, TimeProvider.System);

    /// <summary>Skips INVITE retransmissions that a slow test run lets through before the response lands.</summary>
    private static async Task<ScriptedSipPeer.Received> NextOtherThan(ScriptedSipPeer peer, string method)
    {
        for (var i = 0; i < 20; i++)
        {
            var received = await peer.ReceiveAsync();
            if (received.Method != method)
            {
                return received;
            }
        }

        Assert.Fail($"only {method} requests arrived");
        return null!;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
