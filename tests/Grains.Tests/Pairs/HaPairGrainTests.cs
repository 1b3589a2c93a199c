using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Tests.TestCommon;

namespace OrleansProxy.Grains.Tests.Pairs;

/// <summary>
/// The pair grain on one silo, against a hot-standby pair scripted per test: probe ticks and time-outs follow the
/// fixture's clock, which each test moves; what the grain decided is awaited, never slept for.
/// </summary>
[Collection(HaPairClusterDefinition.Name)]
public sealed class HaPairGrainTests(HaPairClusterFixture fixture)
{
    private const string Hint = "no response in time";

    private static readonly ProbeSettings Probe = HaPairClusterFixture.Probe;

    private ScriptableProber Prober => fixture.Prober;

    private RecordingPairListener Listener => fixture.Listener;

    [Fact]
    public async Task GetRoute_BeforeAnyProbeAnswered_Unavailable()
    {
        var pair = fixture.AddPair(nameof(GetRoute_BeforeAnyProbeAnswered_Unavailable));

        var route = await pair.Grain.GetRoute();

        Assert.Equal(new PairRoute(pair.Name, null, MemberRole.Primary, 1, fixture.Clock.GetUtcNow()), route);
        Assert.Empty(Listener.RoutesOf(pair.Name));
    }

    [Fact]
    public async Task Probe_FirstTick_BothMembersAnswersApplied()
    {
        var pair = await StartServingAsync(nameof(Probe_FirstTick_BothMembersAnswersApplied), backup: ProbeScript.Refuse);
        var at = Prober.ProbeTimes(pair.Backup)[0];

        var status = await pair.Grain.GetStatus();

        Assert.Equal((MemberHealth.Serving, 200, (DateTimeOffset?)at), (status.Primary.Health, status.Primary.LastProbeStatus, status.Primary.LastAnsweredAt));
        Assert.Equal((MemberHealth.NotServing, 503, (DateTimeOffset?)at), (status.Backup.Health, status.Backup.LastProbeStatus, status.Backup.LastAnsweredAt));
        Assert.Equal([at], Prober.ProbeTimes(pair.Primary));
        Assert.True(status.Available);
        Assert.Null(status.UnavailableSince);
    }

    [Fact]
    public async Task Probe_BackupAnswersFirstAtStart_PrimaryStillActive()
    {
        var pair = await StartAsync(
            nameof(Probe_BackupAnswersFirstAtStart_PrimaryStillActive), ProbeScript.AnswerAfter(TimeSpan.FromMilliseconds(50)), ProbeScript.Answer);
        var waiting = await Eventually.Satisfies(pair.Grain.GetStatus, s => s.Backup.Health == MemberHealth.Serving, "the backup serves");
        Assert.False(waiting.Available);

        fixture.Clock.Advance(TimeSpan.FromMilliseconds(50));
        var route = await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the primary's answer makes the pair available");

        Assert.Equal((pair.Primary, MemberRole.Primary, 2L), (route.ActiveMember, route.ActiveRole, route.Version));
        Assert.Empty((await pair.Grain.GetStatus()).History);
    }

    [Fact]
    public async Task Probe_PrimarySilentAtStart_BackupActiveOnceThePrimaryMissed()
    {
        var pair = await StartAsync(nameof(Probe_PrimarySilentAtStart_BackupActiveOnceThePrimaryMissed), ProbeScript.Silent, ProbeScript.Answer);
        var started = Prober.ProbeTimes(pair.Primary)[0];
        var waiting = await Eventually.Satisfies(pair.Grain.GetStatus, s => s.Backup.Health == MemberHealth.Serving, "the backup serves");
        Assert.False(waiting.Available);
        Assert.Null(waiting.Primary.LastProbeAt);

        var status = await fixture.AdvanceUntilAsync(pair, s => s.Available, "a member is active");

        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        var record = Assert.Single(status.History);
        Assert.Equal((null, pair.Backup, SwitchoverReason.FirstToRecover), (record.From, record.To, record.Reason));
        Assert.True(record.At >= started + Probe.Timeout, $"switched at {record.At:O}, before the primary's first probe timed out");
    }

    [Fact]
    public async Task Probe_ConfiguredServingCode404_CountsAsServing()
    {
        var pair = fixture.AddPair(nameof(Probe_ConfiguredServingCode404_CountsAsServing), Probe with { Serving = new ServingCodes([2], [404]) });
        Prober.Script(pair.Primary, ProbeScript.AnswerWith(404));
        Prober.Script(pair.Backup, ProbeScript.Refuse);

        await pair.Grain.Start();

        var route = await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the primary serves");
        Assert.Equal(pair.Primary, route.ActiveMember);
        var status = await pair.Grain.GetStatus();
        Assert.Equal((MemberHealth.Serving, 404), (status.Primary.Health, status.Primary.LastProbeStatus));
    }

    [Fact]
    public async Task Probe_ActiveGoesSilentWhileBackupServes_SwitchesActiveDown()
    {
        var pair = await StartServingAsync(nameof(Probe_ActiveGoesSilentWhileBackupServes_SwitchesActiveDown));

        Prober.Script(pair.Primary, ProbeScript.Silent);
        var status = await fixture.AdvanceUntilAsync(pair, s => s.ActiveRole == MemberRole.Backup, "the backup is active");

        var record = Assert.Single(status.History);
        Assert.Equal((pair.Primary, pair.Backup, SwitchoverReason.ActiveDown), (record.From, record.To, record.Reason));
        Assert.Equal(MemberHealth.Down, status.Primary.Health);
        Assert.True(status.Available);
        Assert.Equal(pair.Backup, (await pair.Grain.GetRoute()).ActiveMember);
        Assert.Equal([pair.Primary], Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task Probe_ActiveProberThrows_CountsAsMissAndSwitchesActiveDown()
    {
        var pair = await StartServingAsync(nameof(Probe_ActiveProberThrows_CountsAsMissAndSwitchesActiveDown));

        Prober.Script(pair.Primary, ProbeScript.Throw);
        var status = await fixture.AdvanceUntilAsync(pair, s => s.ActiveRole == MemberRole.Backup, "the backup is active");

        Assert.Equal(MemberHealth.Down, status.Primary.Health);
        Assert.Equal(SwitchoverReason.ActiveDown, Assert.Single(status.History).Reason);
    }

    [Fact]
    public async Task Probe_ActiveAnswers503WhileOtherServes_SwitchesActiveNotServingAtTheNextTick()
    {
        var pair = await StartServingAsync(nameof(Probe_ActiveAnswers503WhileOtherServes_SwitchesActiveNotServingAtTheNextTick));
        var started = Prober.ProbeTimes(pair.Primary)[0];

        Prober.Script(pair.Primary, ProbeScript.Refuse);
        var status = await fixture.AdvanceAsync(pair, Probe.Interval);

        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        Assert.Equal(MemberHealth.NotServing, status.Primary.Health);
        var record = Assert.Single(status.History);
        Assert.Equal((pair.Primary, pair.Backup, SwitchoverReason.ActiveNotServing, started + Probe.Interval), (record.From, record.To, record.Reason, record.At));
        Assert.Equal([pair.Primary], Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task Probe_StandbyRefusesThenServesAfterActiveDied_ActiveAtItsFirst200()
    {
        var pair = await StartServingAsync(nameof(Probe_StandbyRefusesThenServesAfterActiveDied_ActiveAtItsFirst200), backup: ProbeScript.Refuse);

        Prober.Script(pair.Primary, ProbeScript.Silent);
        var unavailable = await fixture.AdvanceUntilAsync(pair, s => !s.Available, "no member serves");
        Assert.Equal(MemberRole.Primary, unavailable.ActiveRole);
        Assert.NotNull(unavailable.UnavailableSince);
        Assert.Empty(unavailable.History);
        Assert.Equal([pair.Primary], Listener.LostOf(pair.Name));

        // The standby's takeover takes its own time: while it refuses, requests wait and nothing switches.
        for (var step = 0; step < 5; step++)
        {
            var still = await fixture.AdvanceAsync(pair, Probe.FastInterval);
            Assert.False(still.Available);
            Assert.Empty(still.History);
        }

        Assert.Null((await pair.Grain.GetRoute()).ActiveMember);
        Prober.Script(pair.Backup, ProbeScript.Answer);
        var status = await fixture.AdvanceUntilAsync(pair, s => s.Available, "the backup serves");

        var first200 = Prober.CallsOf(pair.Backup).First(call => call.Script.StatusCode == 200).At;
        var record = Assert.Single(status.History);
        Assert.Equal(new SwitchoverRecord(first200, null, pair.Backup, SwitchoverReason.FirstToRecover, record.Detail), record);
        Assert.Null(status.UnavailableSince);
        Assert.Equal(pair.Backup, (await pair.Grain.GetRoute()).ActiveMember);
    }

    [Fact]
    public async Task Probe_OldPrimaryReturnsAfterFailover_StaysStandby()
    {
        var pair = await StartServingAsync(nameof(Probe_OldPrimaryReturnsAfterFailover_StaysStandby));
        Prober.Script(pair.Primary, ProbeScript.Silent);
        await fixture.AdvanceUntilAsync(pair, s => s.ActiveRole == MemberRole.Backup, "the backup is active");

        Prober.Script(pair.Primary, ProbeScript.Answer);
        await fixture.AdvanceUntilAsync(pair, s => s.Primary.Health == MemberHealth.Serving, "the old primary serves");
        var probesSoFar = Prober.CallsTo(pair.Primary);
        PairStatus status = await pair.Grain.GetStatus();
        for (var tick = 0; tick < 5; tick++)
        {
            status = await fixture.AdvanceAsync(pair, Probe.Interval);
        }

        Assert.Equal(probesSoFar + 5, Prober.CallsTo(pair.Primary));
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        Assert.Equal(MemberHealth.Serving, status.Standby.Health);
        Assert.Single(status.History);
    }

    [Fact]
    public async Task Probe_MemberFoundDown_ListenerToldOncePerOutage()
    {
        var pair = await StartServingAsync(nameof(Probe_MemberFoundDown_ListenerToldOncePerOutage));

        Prober.Script(pair.Primary, ProbeScript.Silent);
        await fixture.AdvanceUntilAsync(pair, s => s.Primary.Health == MemberHealth.Down, "the primary is down");
        for (var tick = 0; tick < 3; tick++)
        {
            await fixture.AdvanceAsync(pair, Probe.Interval);
        }

        Assert.Equal([pair.Primary], Listener.LostOf(pair.Name));

        Prober.Script(pair.Primary, ProbeScript.Answer);
        await fixture.AdvanceUntilAsync(pair, s => s.Primary.Health == MemberHealth.Serving, "the primary is back", maxSteps: 30);
        Prober.Script(pair.Primary, ProbeScript.Silent);
        await fixture.AdvanceUntilAsync(pair, s => s.Primary.Health == MemberHealth.Down, "the primary is down again");

        Assert.Equal([pair.Primary, pair.Primary], Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task OnRouteChanged_EachVersionChange_CalledWithTheNewRoute()
    {
        var pair = await StartServingAsync(nameof(OnRouteChanged_EachVersionChange_CalledWithTheNewRoute), backup: ProbeScript.Refuse);
        Prober.Script(pair.Primary, ProbeScript.Silent);
        var unavailable = await fixture.AdvanceUntilAsync(pair, s => !s.Available, "no member serves");
        Prober.Script(pair.Backup, ProbeScript.Answer);
        await fixture.AdvanceUntilAsync(pair, s => s.Available, "the backup serves");

        Assert.Equal(
            [
                new PairRoute(pair.Name, pair.Primary, MemberRole.Primary, 2),
                new PairRoute(pair.Name, null, MemberRole.Primary, 3, unavailable.UnavailableSince),
                new PairRoute(pair.Name, pair.Backup, MemberRole.Backup, 4),
            ],
            Listener.RoutesOf(pair.Name));
        Assert.Equal(Listener.RoutesOf(pair.Name)[^1], await pair.Grain.GetRoute());
    }

    [Fact]
    public async Task ReportHint_ActiveMember_BurstAtFastIntervalThenBackToInterval()
    {
        var pair = await StartServingAsync(nameof(ReportHint_ActiveMember_BurstAtFastIntervalThenBackToInterval));
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));
        var probesBefore = Prober.CallsTo(pair.Primary);
        var hintAt = fixture.Clock.GetUtcNow();

        await HintAsync(pair, pair.Primary);
        await AdvanceStepsAsync(pair, Probe.FastInterval, BurstTicks + 9);

        var expected = Burst(hintAt).Append(hintAt + Probe.BurstDuration + Probe.Interval);
        Assert.Equal(expected, Prober.ProbeTimes(pair.Primary).Skip(probesBefore));
        Assert.Equal(expected, Prober.ProbeTimes(pair.Backup).Skip(probesBefore));
    }

    [Fact]
    public async Task ReportHint_SecondHintDuringBurst_DoesNotStartAnother()
    {
        var pair = await StartServingAsync(nameof(ReportHint_SecondHintDuringBurst_DoesNotStartAnother));
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));
        var probesBefore = Prober.CallsTo(pair.Primary);
        var hintAt = fixture.Clock.GetUtcNow();
        await HintAsync(pair, pair.Primary);

        var half = Probe.FastInterval / 2;
        for (var step = 0; step < 2 * (BurstTicks + 9); step++)
        {
            await fixture.AdvanceAsync(pair, half);
            if (step is 0 or 6)
            {
                // Half-way between two probes of the burst: a second burst would probe at once.
                await pair.Grain.ReportHint(step == 0 ? pair.Backup : pair.Primary, "answered 503");
                await pair.Grain.GetStatus();
            }
        }

        Assert.Equal(Burst(hintAt).Append(hintAt + Probe.BurstDuration + Probe.Interval), Prober.ProbeTimes(pair.Primary).Skip(probesBefore));
    }

    [Fact]
    public async Task ReportHint_AfterBurstEnded_StartsANewOne()
    {
        var pair = await StartServingAsync(nameof(ReportHint_AfterBurstEnded_StartsANewOne));
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));
        var probesBefore = Prober.CallsTo(pair.Primary);
        var firstAt = fixture.Clock.GetUtcNow();
        await HintAsync(pair, pair.Primary);
        await AdvanceStepsAsync(pair, Probe.FastInterval, 12);

        var secondAt = fixture.Clock.GetUtcNow();
        await HintAsync(pair, pair.Backup);
        await AdvanceStepsAsync(pair, Probe.FastInterval, BurstTicks + 9);

        var expected = Burst(firstAt).Concat(Burst(secondAt)).Append(secondAt + Probe.BurstDuration + Probe.Interval);
        Assert.Equal(expected, Prober.ProbeTimes(pair.Primary).Skip(probesBefore));
    }

    [Fact]
    public async Task ReportHint_UnknownMemberOrNotStarted_NoProbe()
    {
        var idle = fixture.AddPair(nameof(ReportHint_UnknownMemberOrNotStarted_NoProbe) + "-idle");
        var pair = await StartServingAsync(nameof(ReportHint_UnknownMemberOrNotStarted_NoProbe));
        var started = Prober.ProbeTimes(pair.Primary)[0];
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));

        await idle.Grain.ReportHint(idle.Primary, Hint);
        await pair.Grain.ReportHint("203.0.113.9:5060", Hint);
        await idle.Grain.GetStatus();
        await AdvanceStepsAsync(pair, Probe.FastInterval, 7);

        Assert.Equal(0, Prober.CallsTo(idle.Primary));
        Assert.Equal([started, started + Probe.Interval], Prober.ProbeTimes(pair.Primary));
    }

    [Fact]
    public async Task ReportHint_ActiveDeadStandbyServing_SwitchesWithinTheBurst()
    {
        var pair = await StartServingAsync(nameof(ReportHint_ActiveDeadStandbyServing_SwitchesWithinTheBurst));
        var started = Prober.ProbeTimes(pair.Primary)[0];
        Prober.Script(pair.Primary, ProbeScript.Silent);
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));
        var hintAt = fixture.Clock.GetUtcNow();

        await HintAsync(pair, pair.Primary);
        var status = await fixture.AdvanceUntilAsync(pair, s => s.ActiveRole == MemberRole.Backup, "the backup is active");

        var record = Assert.Single(status.History);
        Assert.Equal(SwitchoverReason.ActiveDown, record.Reason);
        Assert.True(record.At <= hintAt + Probe.BurstDuration, $"switched at {record.At:O}, after the burst that began at {hintAt:O}");
        Assert.True(record.At < started + Probe.Interval + Probe.Timeout, "without the burst the first miss would not even be known yet");
    }

    [Fact]
    public async Task ReportHint_ManyWhileActiveAnswers200_NeverSwitches()
    {
        var slow = ProbeScript.AnswerAfter(Probe.Timeout - TimeSpan.FromMilliseconds(50));
        var pair = await StartAsync(nameof(ReportHint_ManyWhileActiveAnswers200_NeverSwitches), slow, ProbeScript.Answer);
        await fixture.AdvanceUntilAsync(pair, s => s.Available, "the slow primary serves");
        var probesBefore = Prober.CallsTo(pair.Primary);

        // Its calls time out, answer 503 or break, but it answers every probe: overload is not death.
        for (var hint = 0; hint < 40; hint++)
        {
            await pair.Grain.ReportHint(pair.Primary, hint % 2 == 0 ? Hint : "answered 503");
            await fixture.AdvanceAsync(pair, Probe.FastInterval / 2);
        }

        var probesDuringHints = Prober.CallsTo(pair.Primary) - probesBefore;
        var status = await fixture.AdvanceUntilAsync(
            pair, s => s.Primary.LastAnsweredAt >= Prober.CallsOf(pair.Primary)[^1].At, "the last probe is answered", maxSteps: 20);

        Assert.Equal((MemberRole.Primary, true), (status.ActiveRole, status.Available));
        Assert.Empty(status.History);
        Assert.Equal(0, status.Primary.ConsecutiveFailures);
        Assert.Equal([new PairRoute(pair.Name, pair.Primary, MemberRole.Primary, 2)], Listener.RoutesOf(pair.Name));
        Assert.Empty(Listener.LostOf(pair.Name));

        // Bursts ran back to back, one at a time: a probe per fast interval (20 in these 2 s) and one more as each of
        // the three bursts starts; not one per hint (40), and far more than the 2 of the slow cadence.
        Assert.InRange(probesDuringHints, 20, 24);
    }

    [Fact]
    public async Task Probe_OlderAnswerArrivesAfterANewerOne_Ignored()
    {
        var pair = await StartServingAsync(nameof(Probe_OlderAnswerArrivesAfterANewerOne_Ignored));
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));
        await HintAsync(pair, pair.Primary);

        // The probe sent now is answered 503 only after the next two probes have been answered 200.
        Prober.Script(pair.Primary, ProbeScript.AnswerAfter(TimeSpan.FromMilliseconds(250), 503));
        await fixture.AdvanceAsync(pair, Probe.FastInterval);
        Prober.Script(pair.Primary, ProbeScript.Answer);
        var status = await fixture.AdvanceAsync(pair, Probe.FastInterval);
        Assert.Equal(200, status.Primary.LastProbeStatus);
        await AdvanceStepsAsync(pair, Probe.FastInterval, 4);

        status = await pair.Grain.GetStatus();
        Assert.Equal((MemberHealth.Serving, 200), (status.Primary.Health, status.Primary.LastProbeStatus));
        Assert.Equal(MemberRole.Primary, status.ActiveRole);
        Assert.Empty(status.History);
    }

    [Fact]
    public async Task Probe_ActiveRefusedThenStandbyServes_OldActiveLost()
    {
        var pair = await StartServingAsync(nameof(Probe_ActiveRefusedThenStandbyServes_OldActiveLost), backup: ProbeScript.Refuse);
        Prober.Script(pair.Primary, ProbeScript.Refuse);
        await fixture.AdvanceUntilAsync(pair, s => !s.Available, "no member serves");

        Prober.Script(pair.Backup, ProbeScript.Answer);
        var status = await fixture.AdvanceUntilAsync(pair, s => s.Available, "the backup serves");

        // Had the backup served a moment earlier this would be an ActiveNotServing switch, which does tell.
        Assert.Equal((MemberRole.Backup, MemberHealth.NotServing), (status.ActiveRole, status.Primary.Health));
        Assert.Equal([pair.Primary], Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task ReportHint_FastIntervalLongerThanTimeout_BurstStillEndsWithADecision()
    {
        var probe = new ProbeSettings(
            Interval: TimeSpan.FromSeconds(2),
            Timeout: TimeSpan.FromMilliseconds(100),
            FailuresToDown: 3,
            FastInterval: TimeSpan.FromMilliseconds(500),
            KeepAlivePeriod: Probe.KeepAlivePeriod);
        var pair = fixture.AddPair(nameof(ReportHint_FastIntervalLongerThanTimeout_BurstStillEndsWithADecision), probe);
        Prober.Script(pair.Primary, ProbeScript.Answer);
        Prober.Script(pair.Backup, ProbeScript.Answer);
        await pair.Grain.Start();
        await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the primary serves");
        Prober.Script(pair.Primary, ProbeScript.Silent);
        await fixture.AdvanceAsync(pair, TimeSpan.FromMilliseconds(300));
        var hintAt = fixture.Clock.GetUtcNow();
        var probesBefore = Prober.CallsTo(pair.Primary);

        await HintAsync(pair, pair.Primary);
        await AdvanceStepsAsync(pair, TimeSpan.FromMilliseconds(100), 11);

        // Three probes 500 ms apart, each timed out 100 ms later: down by 1.1 s. The burst sends only two.
        Assert.Equal([hintAt, hintAt + probe.FastInterval, hintAt + (2 * probe.FastInterval)], Prober.ProbeTimes(pair.Primary).Skip(probesBefore));
        Assert.Equal(MemberHealth.Down, (await pair.Grain.GetStatus()).Primary.Health);
    }

    [Fact]
    public async Task ReportRequestFrom_Standby_SwitchesAtOnce()
    {
        var pair = await StartServingAsync(nameof(ReportRequestFrom_Standby_SwitchesAtOnce), backup: ProbeScript.Refuse);
        var before = await pair.Grain.GetRoute();

        var route = await pair.Grain.ReportRequestFrom(pair.Backup);

        Assert.Equal(new PairRoute(pair.Name, pair.Backup, MemberRole.Backup, before.Version + 1), route);
        var status = await pair.Grain.GetStatus();
        Assert.Equal(MemberHealth.Serving, status.Backup.Health);
        var record = Assert.Single(status.History);
        Assert.Equal((pair.Primary, SwitchoverReason.TrafficFromStandby), (record.From, record.Reason));
        Assert.Equal(route, Listener.RoutesOf(pair.Name)[^1]);
        Assert.Equal([pair.Primary], Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task ReportRequestFrom_ActiveWhileUnavailable_Recovers()
    {
        var pair = fixture.AddPair(nameof(ReportRequestFrom_ActiveWhileUnavailable_Recovers));

        var route = await pair.Grain.ReportRequestFrom(pair.Primary);

        Assert.Equal(new PairRoute(pair.Name, pair.Primary, MemberRole.Primary, 2), route);
        Assert.Empty((await pair.Grain.GetStatus()).History);
        Assert.Equal([route], Listener.RoutesOf(pair.Name));
        Assert.Empty(Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task ReportRequestFrom_UnknownMember_NothingChanges()
    {
        var pair = fixture.AddPair(nameof(ReportRequestFrom_UnknownMember_NothingChanges));
        var before = await pair.Grain.GetRoute();

        var route = await pair.Grain.ReportRequestFrom("203.0.113.9:5060");

        Assert.Equal(before, route);
        Assert.Empty(Listener.RoutesOf(pair.Name));
    }

    [Fact]
    public async Task Switchover_StandbyServing_SwitchesAndRecordsRequesterAndLeavesTheOldMembersTransactions()
    {
        var pair = await StartServingAsync(nameof(Switchover_StandbyServing_SwitchesAndRecordsRequesterAndLeavesTheOldMembersTransactions));

        var status = await pair.Grain.Switchover("cli bob");

        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        var record = Assert.Single(status.History);
        Assert.Equal(SwitchoverReason.Manual, record.Reason);
        Assert.Contains("cli bob", record.Detail, StringComparison.Ordinal);
        Assert.Equal(pair.Backup, (await pair.Grain.GetRoute()).ActiveMember);
        // A planned switch: the old member still serves what it holds.
        Assert.Empty(Listener.LostOf(pair.Name));
    }

    [Fact]
    public async Task Switchover_StandbyNotServing_RefusedWithReason()
    {
        var pair = await StartServingAsync(nameof(Switchover_StandbyNotServing_RefusedWithReason), backup: ProbeScript.Refuse);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Grain.Switchover("ops"));

        Assert.Contains(pair.Backup, error.Message, StringComparison.Ordinal);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        var status = await pair.Grain.GetStatus();
        Assert.Equal(MemberRole.Primary, status.ActiveRole);
        Assert.Empty(status.History);
    }

    [Fact]
    public async Task Switchover_BeforeAnyProbe_Refused()
    {
        var pair = fixture.AddPair(nameof(Switchover_BeforeAnyProbe_Refused));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Grain.Switchover("ops"));

        Assert.Contains("not probed yet", error.Message, StringComparison.Ordinal);
        Assert.False((await pair.Grain.GetRoute()).IsAvailable);
    }

    [Fact]
    public async Task AnyMethod_UnknownPair_ThrowsNamingThePair()
    {
        const string name = "no-such-pair";
        var grain = fixture.Cluster.Client.GetGrain<IHaPairGrain>(name);

        var errors = new[]
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(grain.Start),
            await Assert.ThrowsAsync<KeyNotFoundException>(grain.GetRoute),
            await Assert.ThrowsAsync<KeyNotFoundException>(grain.GetStatus),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.ReportRequestFrom("10.0.0.1:5060")),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.Switchover("ops")),
        };

        Assert.All(errors, error => Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reminder_AfterDeactivation_ProbingResumes()
    {
        // Reminders run on the silo's real clock, which the test cannot move: the shortest period the silo accepts
        // keeps the real wait short.
        var pair = await StartServingAsync(
            nameof(Reminder_AfterDeactivation_ProbingResumes), probe: Probe with { KeepAlivePeriod = HaPairClusterFixture.MinimumReminderPeriod });

        await fixture.Cluster.DeactivateAsync(pair.Grain);
        var probesBeforeReminder = Prober.CallsTo(pair.Primary);

        await Eventually.Holds(
            () => Prober.CallsTo(pair.Primary) > probesBeforeReminder,
            "the keep-alive reminder re-activates the grain and probing resumes");
        var route = await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the new activation finds the primary serving");
        Assert.Equal(pair.Primary, route.ActiveMember);
    }

    /// <summary>Probes per burst: one at the hint, then one every fast interval until the burst's end, inclusive.</summary>
    private static int BurstTicks => (int)(Probe.BurstDuration / Probe.FastInterval) + 1;

    private static IEnumerable<DateTimeOffset> Burst(DateTimeOffset hintAt) =>
        Enumerable.Range(0, BurstTicks).Select(tick => hintAt + (tick * Probe.FastInterval));

    private async Task<TestPair> StartAsync(string name, ProbeScript primary, ProbeScript backup, ProbeSettings? probe = null)
    {
        var pair = fixture.AddPair(name, probe);
        Prober.Script(pair.Primary, primary);
        Prober.Script(pair.Backup, backup);
        await pair.Grain.Start();
        return pair;
    }

    /// <summary>Starts probing; the first tick is due at once, and the primary serves at it.</summary>
    private async Task<TestPair> StartServingAsync(string name, ProbeScript? backup = null, ProbeSettings? probe = null)
    {
        var pair = await StartAsync(name, ProbeScript.Answer, backup ?? ProbeScript.Answer, probe);

        // Seen after the tick's turn, so the next tick is armed: one Interval from the first.
        await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the primary serves");
        return pair;
    }

    /// <summary>Reports a hint and waits for the burst's first probes, which go out at once.</summary>
    private async Task HintAsync(TestPair pair, string member)
    {
        var probes = Prober.CallsTo(pair.Primary);
        await pair.Grain.ReportHint(member, Hint);
        await Eventually.Holds(() => Prober.CallsTo(pair.Primary) > probes, $"the burst after a hint about {member}");
        await pair.Grain.GetStatus();
    }

    private async Task AdvanceStepsAsync(TestPair pair, TimeSpan step, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            await fixture.AdvanceAsync(pair, step);
        }
    }
}
