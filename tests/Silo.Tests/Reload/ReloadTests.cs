using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Cli;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;
using Xunit.Abstractions;

namespace OrleansProxy.Silo.Tests.Reload;

/// <summary>
/// A node started from a --config file that the test rewrites, reloaded through POST /api/reload (and the CLI verb)
/// while realistic pairs take calls. Calls to "1..." go to the default pair alpha, "2..." to beta, "3..." to gamma.
/// </summary>
public sealed class ReloadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(60);

    // 100 calls/s through the node in all, half to each pair, for six seconds: the reload falls in the middle.
    private const int CallsPerPair = 300;
    private const double RatePerPair = 50;

    [Fact]
    public async Task Reload_PairAddedUnderLoad_CallsToTheOtherPairsNeverFail()
    {
        await using var alpha = SimulatedHaPair.Start();
        await using var beta = SimulatedHaPair.Start();
        await using var gamma = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1"), ("beta", beta, "2")]));
        await WaitAvailableAsync(node, "alpha", "beta");
        await using var toAlpha = node.Caller("100");
        await using var toBeta = node.Caller("200");

        var loadAlpha = toAlpha.RunLoadAsync(CallsPerPair, RatePerPair, LoadLimit, null, CancellationToken.None);
        var loadBeta = toBeta.RunLoadAsync(CallsPerPair, RatePerPair, LoadLimit, null, CancellationToken.None);
        await Eventually.Satisfies(
            () => Task.FromResult(Invites(alpha.Primary) + Invites(beta.Primary)),
            invites => invites >= CallsPerPair,
            "calls to both pairs under way");
        node.Rewrite(ReloadNode.Configuration(listen, [("alpha", alpha, "1"), ("beta", beta, "2"), ("gamma", gamma, "3")]));
        var (status, reload) = await node.ReloadAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("applied", reload.Outcome);
        Assert.Equal(["gamma"], reload.Added);
        Assert.Empty(reload.Removed);
        Assert.Empty(reload.MembersChanged);
        Assert.Empty(reload.ProbeChanged);
        Assert.Empty(reload.RestartRequired);
        var alphaTotals = CallTotals.Of(await loadAlpha);
        var betaTotals = CallTotals.Of(await loadBeta);
        output.WriteLine(
            $"reload under {2 * RatePerPair} calls/s: applied in {reload.DurationMs} ms; alpha {alphaTotals.Completed} completed, {alphaTotals.Failed} failed; "
            + $"beta {betaTotals.Completed} completed, {betaTotals.Failed} failed");
        Assert.True(alphaTotals.Failed == 0, $"alpha: {alphaTotals}; {node.Log}");
        Assert.True(betaTotals.Failed == 0, $"beta: {betaTotals}; {node.Log}");
        Assert.Equal(CallsPerPair, alphaTotals.Completed);
        Assert.Equal(CallsPerPair, betaTotals.Completed);

        await node.WaitForPairAsync("gamma", s => s.Available, "the added pair to serve");
        await using var toGamma = node.Caller("300");
        var call = await toGamma.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.ToString());
        Assert.Equal(gamma.Primary.EndPoint, call.AnsweredBy);
        var pairs = await node.GetPairsAsync();
        Assert.Equal(["alpha", "beta", "gamma"], pairs.Select(p => p.Name));
        Assert.All(pairs, p => Assert.Equal("applied", p.LastReload!.Outcome));
        Assert.Equal(["unchanged", "unchanged", "added"], pairs.Select(p => p.LastReload!.Change));
    }

    [Fact]
    public async Task Reload_PairRemoved_StopsProbingFinishesItsTransactionAndRoutesItsCallsByTheNewRules()
    {
        await using var alpha = SimulatedHaPair.Start();
        await using var beta = SimulatedHaPair.Start(SimulatedHaPairOptions.Default with { AnswerDelay = TimeSpan.FromSeconds(1.5) });
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1"), ("beta", beta, "2")]));
        await WaitAvailableAsync(node, "alpha", "beta");
        await using var toBeta = node.Caller("200");

        // Ringing at beta while beta is removed: the INVITE transaction already routed there still completes.
        var ringing = toBeta.InviteAsync(CancellationToken.None);
        await Eventually.Satisfies(() => Task.FromResult(Invites(beta.Primary)), invites => invites >= 1, "the INVITE to reach beta");
        node.Rewrite(ReloadNode.Configuration(listen, [("alpha", alpha, "1")]));
        var (status, reload) = await node.ReloadAsync();
        var inFlight = await ringing;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["beta"], reload.Removed);
        Assert.True(inFlight.Call is not null, $"the INVITE routed before the reload: {inFlight}; {node.Log}");
        Assert.Equal(["alpha"], (await node.GetPairsAsync()).Select(p => p.Name));

        var probesAfterRemoval = beta.Primary.Counts.OptionsWhileActive;
        await using var toAlpha = node.Caller("100");
        var call = await toBeta.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.ToString());
        Assert.Equal(alpha.Primary.EndPoint, call.AnsweredBy);

        // The removed pair's gauges go with it: a stale "unavailable" would keep its alert firing for ever.
        await Eventually.Satisfies(
            () => node.Admin.GetStringAsync(new Uri("metrics", UriKind.Relative)),
            metrics => metrics.Contains("orleansproxy_pair_available{pair=\"alpha\"}", StringComparison.Ordinal)
                && !metrics.Split('\n').Any(line => line.StartsWith("orleansproxy_pair_", StringComparison.Ordinal)
                    && !line.Contains("_total", StringComparison.Ordinal) && !line.Contains("_duration", StringComparison.Ordinal)
                    && line.Contains("pair=\"beta\"", StringComparison.Ordinal)),
            "the removed pair's series to leave /metrics");

        // Five probe rounds at least pass while the calls run and this waits: beta is probed no more.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.InRange(beta.Primary.Counts.OptionsWhileActive, probesAfterRemoval, probesAfterRemoval + 2);
    }

    [Fact]
    public async Task Reload_ProbeSettingsChanged_PairKeepsItsActiveMemberHealthAndHistory()
    {
        await using var alpha = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1")]));
        await WaitAvailableAsync(node, "alpha");
        await alpha.KillActiveAsync(DeathKind.ClosePort);
        var switched = await node.WaitForPairAsync(
            "alpha",
            s => s.ActiveRole == MemberRole.Backup && s.Available && s.History.Length == 1,
            "the switchover to the backup");

        node.Rewrite(ReloadNode.Configuration(listen, [("alpha", alpha, "1")], probeIntervalMs: 300, failuresToDown: 3));
        var (status, reload) = await node.ReloadAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["alpha"], reload.ProbeChanged);
        Assert.Empty(reload.MembersChanged);
        var reloaded = reload.At!.Value;
        var after = await node.WaitForPairAsync("alpha", s => s.Backup.LastProbeAt > reloaded, "a probe with the new settings");
        Assert.Equal(MemberRole.Backup, after.ActiveRole);
        Assert.True(after.Available);
        Assert.Equal(MemberHealth.Serving, after.Backup.Health);
        Assert.Equal(switched.History.ToArray(), after.History.ToArray());
        await using var caller = node.Caller("100");
        var call = await caller.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.ToString());
        Assert.Equal(alpha.Backup.EndPoint, call.AnsweredBy);
    }

    [Fact]
    public async Task Reload_MembersChanged_PairStartsAfreshOnTheNewMembers()
    {
        await using var alpha = SimulatedHaPair.Start();
        await using var replacement = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1")]));
        await WaitAvailableAsync(node, "alpha");

        node.Rewrite(ReloadNode.Configuration(listen, [("alpha", replacement, "1")]));
        var (_, reload) = await node.ReloadAsync();

        Assert.Equal(["alpha"], reload.MembersChanged);
        var status = await node.WaitForPairAsync("alpha", s => s.Available, "the new members to serve");
        Assert.Equal(replacement.Primary.EndPoint.ToString(), status.Primary.Address);
        await using var caller = node.Caller("100");
        var call = await caller.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.ToString());
        Assert.Equal(replacement.Primary.EndPoint, call.AnsweredBy);
    }

    [Fact]
    public async Task Reload_BadFile_RefusedWithOneLinePerFaultAndTheRunningConfigurationStays()
    {
        await using var alpha = SimulatedHaPair.Start();
        await using var beta = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1"), ("beta", beta, "2")]));
        await WaitAvailableAsync(node, "alpha", "beta");
        var bad = ReloadNode.Configuration(listen, [("alpha", alpha, "1")]);
        bad["Proxy"]!["Pairs"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["Name"] = "gamma", ["Primary"] = "127.0.0.1:99999" });
        bad["Proxy"]!["Probe"]!["IntervalMs"] = "often";
        node.Rewrite(bad);

        var (status, reload) = await node.ReloadAsync();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("refused", reload.Outcome);
        Assert.Contains(reload.Faults, f => f.StartsWith("Proxy:Pairs:1:Primary: ", StringComparison.Ordinal));
        Assert.Contains(reload.Faults, f => f.StartsWith("Proxy:Pairs:1:Backup: ", StringComparison.Ordinal));
        Assert.Contains(reload.Faults, f => f.StartsWith("Proxy:Probe:IntervalMs: ", StringComparison.Ordinal));
        Assert.Equal(["alpha", "beta"], (await node.GetPairsAsync()).Select(p => p.Name));
        await using var toBeta = node.Caller("200");
        var call = await toBeta.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.ToString());
        Assert.Equal(beta.Primary.EndPoint, call.AnsweredBy);

        node.RewriteText("{ \"Proxy\": { \"Pairs\": [ ");
        var (syntaxStatus, syntax) = await node.ReloadAsync();
        Assert.Equal(HttpStatusCode.BadRequest, syntaxStatus);
        Assert.StartsWith("--config: cannot read ", Assert.Single(syntax.Faults), StringComparison.Ordinal);

        var last = await node.Admin.GetStringAsync(new Uri("api/reload", UriKind.Relative));
        Assert.Contains("\"outcome\":\"refused\"", last, StringComparison.Ordinal);
        Assert.All(await node.GetPairsAsync(), p => Assert.Equal("refused", p.LastReload!.Outcome));
        var metrics = await node.Admin.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains("orleansproxy_config_reloads_total{outcome=\"refused\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_ListenerChanged_AppliesTheRestAndNamesTheKeyThatNeedsARestart()
    {
        await using var alpha = SimulatedHaPair.Start();
        await using var beta = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1")]));
        await WaitAvailableAsync(node, "alpha");

        node.Rewrite(ReloadNode.Configuration(FreePort.Udp(), [("alpha", alpha, "1"), ("beta", beta, "2")]));
        var (status, reload) = await node.ReloadAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Proxy:Listen"], reload.RestartRequired);
        Assert.Equal(["beta"], reload.Added);
        await node.WaitForPairAsync("beta", s => s.Available, "the added pair to serve");
        await using var toBeta = node.Caller("200");
        var call = await toBeta.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.ToString());
        Assert.Equal(beta.Primary.EndPoint, call.AnsweredBy);
    }

    [Fact]
    public async Task Reload_InviteCapTurnedOn_AppliedLiveWithoutARestart_TheExcessGets503()
    {
        await using var alpha = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1")]));
        await WaitAvailableAsync(node, "alpha");
        var capped = ReloadNode.Configuration(listen, [("alpha", alpha, "1")]);
        capped["Proxy"]!["Overload"] = new System.Text.Json.Nodes.JsonObject { ["InvitesPerSecond"] = 1 };

        node.Rewrite(capped);
        var (status, reload) = await node.ReloadAsync();
        var answers = await EndToEnd.OverloadEndToEndTests.SendInviteBurstAsync(node.Sip, 10);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(reload.RestartRequired);
        Assert.Contains(answers.Values, answer => answer.StartsWith("SIP/2.0 503 Service Unavailable (overload: 1 INVITEs per second)\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadVerb_AppliedExits0_RefusedExits1WithConfigErrorLines()
    {
        await using var alpha = SimulatedHaPair.Start();
        await using var beta = SimulatedHaPair.Start();
        var listen = FreePort.Udp();
        await using var node = await ReloadNode.StartAsync(ReloadNode.Configuration(listen, [("alpha", alpha, "1")]));
        node.Rewrite(ReloadNode.Configuration(listen, [("alpha", alpha, "1"), ("beta", beta, "2")]));
        var output = new StringWriter();
        var error = new StringWriter();

        var applied = await Program.RunAsync(["reload", "--admin", node.AdminUrl], output, error);

        Assert.True(applied == ExitCodes.Success, error.ToString());
        Assert.StartsWith("configuration reloaded in ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("pairs added beta;", output.ToString(), StringComparison.Ordinal);

        var bad = ReloadNode.Configuration(listen, [("alpha", alpha, "1")]);
        bad["Proxy"]!["Probe"]!["FailuresToDown"] = 0;
        node.Rewrite(bad);
        output.GetStringBuilder().Clear();

        var refused = await Program.RunAsync(["reload", "--admin", node.AdminUrl], output, error);

        Assert.Equal(ExitCodes.Failed, refused);
        Assert.Contains("config error: Proxy:Probe:FailuresToDown: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("reload refused", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(["alpha", "beta"], (await node.GetPairsAsync()).Select(p => p.Name));
    }

    private static long Invites(SimulatedServer server) => server.Counts.RequestsWhileActive.GetValueOrDefault("INVITE");

    private static async Task WaitAvailableAsync(ReloadNode node, params string[] pairs)
    {
        foreach (var pair in pairs)
        {
            await node.WaitForPairAsync(pair, s => s.Available, $"pair {pair} to serve");
        }
    }
}
