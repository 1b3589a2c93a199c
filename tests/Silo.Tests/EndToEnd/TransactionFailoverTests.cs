using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;
using static OrleansProxy.Silo.Tests.EndToEnd.ScriptedCalls;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// Transaction-level failover on real loopback sockets: a whole node in the default stateful mode between a caller
/// and simulated servers, and the stateless mode beside it. Traffic trouble is a hint; the probes decide (DESIGN.md).
/// </summary>
public sealed class TransactionFailoverTests
{
    // Probes too slow to notice anything within a test but what a hint's burst finds.
    private static readonly string[] SlowProbes = ["--Proxy:Probe:IntervalMs=5000", "--Proxy:Probe:TimeoutMs=4000"];

    [Fact]
    public async Task ActiveGoesSilentUnderSteadyLoad_EveryCallCompletes()
    {
        await using var pair = SimulatedHaPair.Start();
        var backup = pair.Backup;
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, backup.EndPoint);
        await using var caller = StartCaller(node);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");

        var load = caller.RunLoadAsync(60, 20, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await pair.KillActiveAsync(DeathKind.ClosePort, takeoverDelay: TimeSpan.Zero);
        var results = await load;

        var failed = results.Where(result => !result.Succeeded).Select(result => $"call {result.CallNumber}: {result.FailureReason}");
        Assert.Empty(failed);
        Assert.Equal(60, results.Count);
        Assert.True(backup.Counts.InvitesAnswered > 0);
        var status = await node.PairGrain.GetStatus();
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        Assert.Equal(SwitchoverReason.ActiveDown, Assert.Single(status.History).Reason);
    }

    [Fact]
    public async Task ActiveAnswers503ToCallsButServesProbes_NeverSwitchedAndNothingSentToTheStandby()
    {
        // Overload is not death: the primary refuses every call with 503 but answers its probes 200.
        await using var pair = SimulatedHaPair.Start();
        var primary = pair.Primary;
        var backup = pair.Backup;
        primary.MaxCalls = 0;
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint);
        await using var caller = StartCaller(node);
        await node.WaitForPairAsync(status => status.Available, "the primary to serve");

        for (var call = 0; call < 5; call++)
        {
            // The server's 503 is the best response; the caller gets it as 500 (§16.7 step 6).
            var result = await caller.PlaceCallAsync(CancellationToken.None);
            Assert.Equal(500, result.InviteStatus);
        }

        var status = await node.PairGrain.GetStatus();
        Assert.Equal(MemberRole.Primary, status.ActiveRole);
        Assert.Empty(status.History);
        Assert.Equal(0, backup.Counts.InvitesReceived);
    }

    [Fact]
    public async Task ActiveServesProbesButLetsItsCallsTimeOut_NeverSwitchedAndTheRequestKeepsItsRetransmissions()
    {
        // The primary answers every probe 200 and never an INVITE: slow, not dead. Timer B is 64 x T1 = 3.2 s here.
        using var primary = new ScriptedSipPeer();
        await using var pair = SimulatedHaPair.Start();
        using var caller = new ScriptedSipPeer();
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, pair.Backup.EndPoint, "--Proxy:Transactions:T1Ms=50");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var invites = AnswerOnlyProbesAsync(primary, stop.Token);
        await node.WaitForPairAsync(status => status.Available, "the primary to serve");

        await caller.SendAsync(Invite(caller, node.Sip, "never-answered"), node.Sip);
        var final = await FinalResponseAsync(caller, TimeSpan.FromSeconds(20));
        await stop.CancelAsync();

        Assert.Equal(408, final.Message.StatusCode);
        Assert.True(await invites > 1, "the INVITE was not retransmitted to the slow primary");
        var status = await node.PairGrain.GetStatus();
        Assert.Equal(MemberRole.Primary, status.ActiveRole);
        Assert.Empty(status.History);
        Assert.Equal(0, pair.Backup.Counts.NewRequestsWhileStandby);
    }

    [Fact]
    public async Task ActiveDiesAfterRinging_TheBackupAnswersOnceProbesFindTheActiveDown()
    {
        // The primary rings and never answers: after its 180 only the probes can tell that it died.
        await using var pair = SimulatedHaPair.Start();
        var primary = pair.Primary;
        var backup = pair.Backup;
        primary.AnswerDelay = TimeSpan.FromMinutes(5);
        using var caller = new ScriptedSipPeer();
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");

        await caller.SendAsync(Invite(caller, node.Sip), node.Sip);
        Assert.Equal(100, (await caller.ReceiveAsync()).Message.StatusCode);
        Assert.Equal(180, (await caller.ReceiveAsync()).Message.StatusCode);
        await pair.KillActiveAsync(DeathKind.ClosePort, takeoverDelay: TimeSpan.Zero);

        // Well before Timer C (three minutes), which is what ended such a call before.
        var final = await FinalResponseAsync(caller, TimeSpan.FromSeconds(20));
        Assert.Equal(200, final.Message.StatusCode);
        Assert.Equal(1, backup.Counts.InvitesAnswered);
        Assert.Contains("failed (HopDown); retrying on", node.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothMembersDie_TheCallWaitsOutTheHoldThenGets503NamingThePair()
    {
        var pair = SimulatedHaPair.Start();
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, pair.Backup.EndPoint, "--Proxy:Failover:HoldMs=1000");
        using var caller = new ScriptedSipPeer();
        await node.WaitForPairAsync(status => status.Available, "the primary to serve");
        await pair.DisposeAsync();

        await caller.SendAsync(Invite(caller, node.Sip), node.Sip);
        var final = await FinalResponseAsync(caller, TimeSpan.FromSeconds(20));

        Assert.Equal(503, final.Message.StatusCode);
        Assert.Contains("pair main", final.StartLine, StringComparison.Ordinal);
        Assert.NotEmpty(final.HeaderLines("Retry-After"));
    }

    [Fact]
    public async Task RetransmittedInvite_Stateful_OneTransactionAndTheLastResponseResent()
    {
        using var primary = new ScriptedSipPeer();
        using var backup = new ScriptedSipPeer();
        using var caller = new ScriptedSipPeer();
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, SlowProbes);
        var invite = Invite(caller, node.Sip);

        await caller.SendAsync(invite, node.Sip);
        Assert.Equal(100, (await caller.ReceiveAsync()).Message.StatusCode);
        var forwarded = await NextRequestAsync(primary, "INVITE");
        await primary.SendAsync(Response(forwarded, 180, "Ringing"), forwarded.Source);
        Assert.Equal(180, (await caller.ReceiveAsync()).Message.StatusCode);

        await caller.SendAsync(invite, node.Sip);
        await caller.SendAsync(invite, node.Sip);

        Assert.Equal(180, (await caller.ReceiveAsync()).Message.StatusCode);
        Assert.Equal(180, (await caller.ReceiveAsync()).Message.StatusCode);
        Assert.Null(await TryNextRequestAsync(primary, "INVITE", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task RetransmittedInvite_Stateless_ForwardedEachTimeWithoutTrying()
    {
        using var primary = new ScriptedSipPeer();
        using var backup = new ScriptedSipPeer();
        using var caller = new ScriptedSipPeer();
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, [.. SlowProbes, "--Proxy:Mode=stateless"]);
        var invite = Invite(caller, node.Sip);

        await caller.SendAsync(invite, node.Sip);
        var first = await NextRequestAsync(primary, "INVITE");
        await caller.SendAsync(invite, node.Sip);
        var second = await NextRequestAsync(primary, "INVITE");

        Assert.Equal(first.Branch, second.Branch);
        await primary.SendAsync(Response(first, 486, "Busy Here"), first.Source);
        Assert.Equal(486, (await caller.ReceiveAsync()).Message.StatusCode);
    }

    /// <returns>How many INVITEs (retransmissions included) reached the peer before <paramref name="stop"/>.</returns>
    private static async Task<int> AnswerOnlyProbesAsync(ScriptedSipPeer peer, CancellationToken stop)
    {
        var invites = 0;
        while (!stop.IsCancellationRequested)
        {
            // Probes are answered while the wait looks for an INVITE; INVITEs are counted and left unanswered.
            if (await TryNextRequestAsync(peer, "INVITE", TimeSpan.FromMilliseconds(200)) is not null)
            {
                invites++;
            }
        }

        return invites;
    }

    private static SimulatedCaller StartCaller(ProxyNode node) => SimulatedPairNode.StartCaller(node);
}
