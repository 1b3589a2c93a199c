using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;
using static OrleansProxy.Silo.Tests.EndToEnd.ScriptedCalls;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// Transaction-level failover (DESIGN.md rule 3) on real loopback sockets: a whole node in the default
/// stateful mode between a caller and simulated servers, and the stateless mode beside it.
/// </summary>
public sealed class TransactionFailoverTests
{
    // Probes too slow to notice anything within a test: only transaction failures can move traffic.
    private static readonly string[] SlowProbes = ["--Proxy:Probe:IntervalMs=5000", "--Proxy:Probe:TimeoutMs=4000"];

    [Fact]
    public async Task ActiveGoesSilentUnderSteadyLoad_EveryCallCompletes()
    {
        await using var pair = SimulatedHaPair.Start();
        var backup = pair.Backup;
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, backup.EndPoint);
        await using var caller = StartCaller(node);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Up, "the primary to answer its probes");

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
        Assert.Equal(SwitchoverReason.TransactionFailure, Assert.Single(status.History).Reason);
    }

    [Fact]
    public async Task ActiveAnswers503_CallsRetriedOnTheBackupAndTheSecondFailureSwitchesThePair()
    {
        // A split-brain pair (both members take calls) with an overloaded primary: what this test is about is the
        // retry on the other member, which a realistic standby would refuse.
        await using var pair = SimulatedHaPair.Start();
        pair.SplitBrain();
        var primary = pair.Primary;
        var backup = pair.Backup;
        primary.MaxCalls = 0;
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, SlowProbes);
        await using var caller = StartCaller(node);

        var first = await caller.PlaceCallAsync(CancellationToken.None);
        var afterOne = await node.PairGrain.GetRoute();
        var second = await caller.PlaceCallAsync(CancellationToken.None);

        Assert.True(first.Succeeded, first.FailureReason);
        Assert.Equal(backup.EndPoint, first.AnsweredBy);
        Assert.Equal(MemberRole.Primary, afterOne.ActiveRole);
        Assert.True(second.Succeeded, second.FailureReason);
        Assert.Equal(backup.EndPoint, second.AnsweredBy);
        var status = await node.PairGrain.GetStatus();
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        var record = Assert.Single(status.History);
        Assert.Equal(SwitchoverReason.TransactionFailure, record.Reason);
        Assert.Contains("answered 503", record.Detail, StringComparison.Ordinal);
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
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Up, "the primary to answer its probes");

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
    public async Task BothMembersSilent_CallerGets408WithinAFewSeconds()
    {
        var pair = SimulatedHaPair.Start();
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, pair.Backup.EndPoint, SlowProbes);
        await using var caller = StartCaller(node);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Up, "the primary to answer its probes");
        await pair.DisposeAsync();

        var call = await caller.PlaceCallAsync(CancellationToken.None);

        Assert.Equal(408, call.InviteStatus);
        Assert.True(call.SetupTime < TimeSpan.FromSeconds(4), $"the caller waited {call.SetupTime}");
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

    private static SimulatedCaller StartCaller(ProxyNode node) => SimulatedPairNode.StartCaller(node);
}
