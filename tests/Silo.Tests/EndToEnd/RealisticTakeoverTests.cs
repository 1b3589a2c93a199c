using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// Issue 12's promise, end to end: calls held across a real HA takeover survive it. The pair is a hot standby
/// (silent or 503 until it takes over), the primary freezes or closes its port, and the standby takes over at once
/// or 2 s later. These need the core that holds requests while no member serves and switches only on evidence.
/// </summary>
[Trait("Category", "RealisticPair")]
public sealed class RealisticTakeoverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly SimulatedCallerOptions HeldCalls = SimulatedCallerOptions.Default with
    {
        HoldTime = TimeSpan.FromSeconds(2),
        InviteTimeout = TimeSpan.FromSeconds(20),
        ByeTimeout = TimeSpan.FromSeconds(20),
    };

    public static TheoryData<StandbyBehavior, DeathKind, int> Takeovers()
    {
        var data = new TheoryData<StandbyBehavior, DeathKind, int>();
        foreach (var standby in new[] { StandbyBehavior.Silent, StandbyBehavior.Refuse503 })
        {
            foreach (var death in new[] { DeathKind.Freeze, DeathKind.ClosePort })
            {
                foreach (var delayMs in new[] { 0, 2000 })
                {
                    data.Add(standby, death, delayMs);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Takeovers))]
    public async Task CallsHeldAcrossTheTakeover_NoneFailsAndNothingReachesAStandby(StandbyBehavior standby, DeathKind death, int takeoverDelayMs)
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = standby, TakeoverDelay = TimeSpan.FromMilliseconds(takeoverDelayMs) });
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, pair.Backup.EndPoint);
        await using var caller = SimulatedPairNode.StartCaller(node, HeldCalls);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");

        var load = caller.RunLoadAsync(40, 10, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await pair.KillActiveAsync(death);
        using (var bound = new CancellationTokenSource(Patience))
        {
            await pair.WaitForTakeoverAsync(bound.Token);
        }

        var results = await load.WaitAsync(TimeSpan.FromSeconds(90));
        var report = pair.Report;

        Assert.Empty(results.Where(call => !call.Succeeded).Select(call => $"call {call.CallNumber}: {call.FailureReason}"));
        Assert.Equal(40, results.Count);
        Assert.True(report.ByesForOtherMembersDialogs > 0, "no BYE for a call set up on the primary reached the new active");
        Assert.Equal(0, report.UnknownDialog481);
        Assert.Equal(0, report.RequestsToStandby);
        Assert.Equal(MemberRole.Backup, (await node.PairGrain.GetStatus()).ActiveRole);

        // The old primary returns as the standby: no new call may reach it.
        var revived = pair.ReviveDead();
        var before = revived.Counts;
        var after = await caller.RunLoadAsync(5, 10, TimeSpan.FromSeconds(5), null, CancellationToken.None);

        Assert.All(after, call => Assert.True(call.Succeeded, call.FailureReason));
        Assert.All(after, call => Assert.Equal(pair.Backup.EndPoint, call.AnsweredBy));
        Assert.Equal(before.InvitesReceived, revived.Counts.InvitesReceived);
        Assert.Equal(0, revived.Counts.NewRequestsWhileStandby);
    }

    [Theory]
    [InlineData(StandbyBehavior.Silent)]
    [InlineData(StandbyBehavior.Refuse503)]
    public async Task OptionsFromTheNewActiveToTheProxy_SwitchesThePairAtOnce(StandbyBehavior standby)
    {
        var proxy = FreePort.Udp();

        // Probes too slow to notice the death within the test: only the announcement can switch the pair.
        string[] slowProbes = ["--Proxy:Probe:IntervalMs=10000", "--Proxy:Probe:TimeoutMs=9000"];
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = standby, Announcement = TakeoverAnnouncement.OptionsToProxy, Proxy = proxy });
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint.ToString(), pair.Backup.EndPoint.ToString(), [$"udp://{proxy}"], slowProbes);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");

        await pair.KillActiveAsync(DeathKind.Freeze, takeoverDelay: TimeSpan.Zero);
        var status = await node.WaitForPairAsync(s => s.ActiveRole == MemberRole.Backup, "the switch to the backup");

        Assert.Equal(SwitchoverReason.TrafficFromStandby, status.History[^1].Reason);
        await using var caller = SimulatedPairNode.StartCaller(node);
        var call = await caller.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.FailureReason);
        Assert.Equal(pair.Backup.EndPoint, call.AnsweredBy);
        Assert.Equal(0, pair.Report.RequestsToStandby);
    }
}
