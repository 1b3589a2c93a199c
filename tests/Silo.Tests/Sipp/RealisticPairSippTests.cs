using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// A real SIP caller (sipp) through a node in front of a realistic HA pair: a hot standby that refuses everything
/// with 503 until it has taken over, 1.5 s after the primary's port closed. Calls are held across the takeover, so
/// BYEs for calls set up on the primary reach the new active; sipp counts no failed call.
/// </summary>
[Trait("Category", "RealisticPair")]
public sealed class RealisticPairSippTests
{
    private const string NotInstalled = "sipp is not installed (Debian package sip-tester).";
    private const int Calls = 80;
    private const int CallsPerSecond = 20;

    private static readonly TimeSpan UacTimeLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(1.5);

    [SkippableFact]
    public async Task PrimaryDiesAndTheStandbyTakesOverLater_SippCountsNoFailedCall()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions
        {
            Standby = StandbyBehavior.Refuse503,
            TakeoverDelay = TimeSpan.FromSeconds(1.5),
        });
        await using var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, pair.Backup.EndPoint, ProxyNode.TolerantProbes);
        await node.WaitForPairAsync(status => status.Available && status.Primary.Health == MemberHealth.Serving, "the primary to serve");

        var options = new SippUacOptions(new IPEndPoint(IPAddress.Loopback, 0), node.Sip, Calls, CallsPerSecond, UacTimeLimit)
        {
            CallDuration = TimeSpan.FromSeconds(1),
        };
        var run = SippProcess.RunUacAsync(options, CancellationToken.None);
        await Task.Delay(KillAfter);
        await pair.KillActiveAsync(DeathKind.ClosePort);
        var result = await run;

        var report = pair.Report;
        Assert.True(result.AllCallsSucceeded, $"{result}\n--- node log ---\n{node.Log}");
        Assert.Equal(0, report.RequestsToStandby);
        Assert.True(report.ByesForOtherMembersDialogs > 0, "no BYE for a call set up on the primary reached the new active");
        Assert.Equal(MemberRole.Backup, (await node.PairGrain.GetStatus()).ActiveRole);
    }
}
