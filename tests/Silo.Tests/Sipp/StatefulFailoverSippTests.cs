using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// Real SIP peers on both sides of a node in the default stateful mode: a sipp UAC at a steady rate, a pair of
/// sipp UASes, and the primary's sipp killed mid-run. Transactions in flight move to the backup, so the UAC
/// counts no failed call.
/// </summary>
public sealed class StatefulFailoverSippTests
{
    private const string NotInstalled = "sipp is not installed (Debian package sip-tester).";
    private const int Calls = 150;
    private const int CallsPerSecond = 50;

    private static readonly TimeSpan UasLifetime = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan UacTimeLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(1.5);

    [SkippableFact]
    public async Task PrimaryKilledMidRun_UacCountsNoFailedCall()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        using var primary = await SippProcess.StartUasAsync(FreePort.Udp(), UasLifetime, CancellationToken.None);
        using var backup = await SippProcess.StartUasAsync(FreePort.Udp(), UasLifetime, CancellationToken.None);
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, ProxyNode.TolerantProbes);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");

        // No pause between ACK and BYE: a dialog the dead primary held cannot be ended on the backup, because
        // sipp UASes share no dialog state as a real HA pair does; a zero hold time keeps such dialogs out.
        var options = new SippUacOptions(new IPEndPoint(IPAddress.Loopback, 0), node.Sip, Calls, CallsPerSecond, UacTimeLimit)
        {
            CallDuration = TimeSpan.Zero,
        };
        var run = SippProcess.RunUacAsync(options, CancellationToken.None);
        await Task.Delay(KillAfter);
        await primary.StopAsync();
        var result = await run;

        Assert.True(result.AllCallsSucceeded, $"{result}\n--- node log ---\n{node.Log}");
        var status = await node.PairGrain.GetStatus();
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
    }
}
