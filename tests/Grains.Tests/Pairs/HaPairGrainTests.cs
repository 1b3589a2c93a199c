using OrleansProxy.Grains.Tests.TestCommon;

namespace OrleansProxy.Grains.Tests.Pairs;

[Collection(HaPairClusterDefinition.Name)]
public sealed class HaPairGrainTests(HaPairClusterFixture fixture)
{
    private ScriptableProber Prober => fixture.Prober;

    [Fact]
    public async Task Probe_PrimarySilentBackupAnswering_SwitchesToBackup()
    {
        var pair = fixture.AddPair(nameof(Probe_PrimarySilentBackupAnswering_SwitchesToBackup));
        Prober.Script(pair.Primary, ProbeScript.Silent);
        Prober.Script(pair.Backup, ProbeScript.Answer);

        await pair.Grain.Start();

        var status = await Eventually.Until(pair.Grain.GetStatus, s => s.ActiveRole == MemberRole.Backup, "the backup is active");
        var record = Assert.Single(status.History);
        Assert.Equal(SwitchoverReason.ActiveDown, record.Reason);
        Assert.Equal(pair.Primary, record.From);
        Assert.Equal(pair.Backup, record.To);
        Assert.Equal(MemberHealth.Down, status.Primary.Health);
        Assert.Equal(pair.Backup, (await pair.Grain.GetRoute()).ActiveMember);
    }

    [Fact]
    public async Task Probe_OldPrimaryReturnsAfterFailover_StaysStandby()
    {
        var pair = fixture.AddPair(nameof(Probe_OldPrimaryReturnsAfterFailover_StaysStandby));
        Prober.Script(pair.Primary, ProbeScript.Silent);
        Prober.Script(pair.Backup, ProbeScript.Answer);
        await pair.Grain.Start();
        await Eventually.Until(pair.Grain.GetStatus, s => s.ActiveRole == MemberRole.Backup, "the backup is active");

        Prober.Script(pair.Primary, ProbeScript.Answer);
        await Eventually.Until(pair.Grain.GetStatus, s => s.Primary.Health == MemberHealth.Serving, "the old primary is up");
        var probesSoFar = Prober.CallsTo(pair.Primary);
        await Eventually.Until(() => Prober.CallsTo(pair.Primary), calls => calls >= probesSoFar + 5, "five more probes of the primary");

        var status = await pair.Grain.GetStatus();
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        Assert.Equal(MemberHealth.Serving, status.Standby.Health);
        Assert.Single(status.History);
    }

    [Fact]
    public async Task Probe_MemberFoundDown_HostToldOncePerOutage()
    {
        var pair = fixture.AddPair(nameof(Probe_MemberFoundDown_HostToldOncePerOutage));
        var downs = fixture.DownListener;
        Prober.Script(pair.Primary, ProbeScript.Answer);
        Prober.Script(pair.Backup, ProbeScript.Answer);
        await pair.Grain.Start();
        await Eventually.Until(pair.Grain.GetStatus, s => s.Primary.Health == MemberHealth.Serving, "the primary is up");

        Prober.Script(pair.Primary, ProbeScript.Silent);
        await Eventually.Until(() => Task.FromResult(downs.DownsOf(pair.Primary)), count => count == 1, "the host told of the primary's outage");
        var probesSoFar = Prober.CallsTo(pair.Primary);
        await Eventually.Until(() => Task.FromResult(Prober.CallsTo(pair.Primary)), calls => calls >= probesSoFar + 3, "three more missed probes");
        Assert.Equal(1, downs.DownsOf(pair.Primary));

        Prober.Script(pair.Primary, ProbeScript.Answer);
        await Eventually.Until(pair.Grain.GetStatus, s => s.Primary.Health == MemberHealth.Serving, "the primary is back");
        Prober.Script(pair.Primary, ProbeScript.Silent);
        await Eventually.Until(() => Task.FromResult(downs.DownsOf(pair.Primary)), count => count == 2, "the host told of the second outage");
        Assert.Equal(0, downs.DownsOf(pair.Backup));
    }

    [Fact]
    public async Task Probe_BothSilentThenBackupAnswersFirst_BackupBecomesActive()
    {
        var pair = await StartWithPrimaryOnlyAsync(nameof(Probe_BothSilentThenBackupAnswersFirst_BackupBecomesActive));

        Prober.Script(pair.Primary, ProbeScript.Silent);
        var unavailable = await Eventually.Until(pair.Grain.GetRoute, r => !r.IsAvailable, "the pair is unavailable");
        Assert.Null(unavailable.ActiveMember);

        Prober.Script(pair.Backup, ProbeScript.Answer);
        var route = await Eventually.Until(pair.Grain.GetRoute, r => r.IsAvailable, "the pair is available again");

        Assert.Equal(pair.Backup, route.ActiveMember);
        Assert.True(route.Version > unavailable.Version);
        var record = Assert.Single((await pair.Grain.GetStatus()).History);
        Assert.Equal(SwitchoverReason.FirstToRecover, record.Reason);
        Assert.Null(record.From);
        Assert.Equal(pair.Backup, record.To);
    }

    [Fact]
    public async Task Probe_BothSilentThenPreviousActiveAnswersFirst_AvailableWithoutSwitch()
    {
        var pair = await StartWithPrimaryOnlyAsync(nameof(Probe_BothSilentThenPreviousActiveAnswersFirst_AvailableWithoutSwitch));

        Prober.Script(pair.Primary, ProbeScript.Silent);
        var unavailable = await Eventually.Until(pair.Grain.GetRoute, r => !r.IsAvailable, "the pair is unavailable");

        Prober.Script(pair.Primary, ProbeScript.Answer);
        var route = await Eventually.Until(pair.Grain.GetRoute, r => r.IsAvailable, "the pair is available again");

        Assert.Equal(pair.Primary, route.ActiveMember);
        Assert.True(route.Version > unavailable.Version);
        Assert.Empty((await pair.Grain.GetStatus()).History);
    }

    [Fact]
    public async Task Probe_PrimaryProberThrows_CountsAsMiss()
    {
        var pair = fixture.AddPair(nameof(Probe_PrimaryProberThrows_CountsAsMiss));
        Prober.Script(pair.Primary, ProbeScript.Throw);
        Prober.Script(pair.Backup, ProbeScript.Answer);

        await pair.Grain.Start();

        var status = await Eventually.Until(pair.Grain.GetStatus, s => s.ActiveRole == MemberRole.Backup, "the backup is active");
        Assert.Equal(MemberHealth.Down, status.Primary.Health);
        Assert.Equal(SwitchoverReason.ActiveDown, Assert.Single(status.History).Reason);
    }

    [Fact]
    public async Task ReportRequestFrom_Standby_SwitchesAtOnce()
    {
        var pair = fixture.AddPair(nameof(ReportRequestFrom_Standby_SwitchesAtOnce));
        var before = await pair.Grain.GetRoute();

        var route = await pair.Grain.ReportRequestFrom(pair.Backup);

        Assert.Equal(pair.Backup, route.ActiveMember);
        Assert.Equal(MemberRole.Backup, route.ActiveRole);
        Assert.True(route.Version > before.Version);
        var status = await pair.Grain.GetStatus();
        Assert.Equal(MemberHealth.Serving, status.Backup.Health);
        var record = Assert.Single(status.History);
        Assert.Equal(SwitchoverReason.TrafficFromStandby, record.Reason);
        Assert.Equal(pair.Primary, record.From);
    }

    [Fact]
    public async Task ReportRequestFrom_ActiveOrUnknownMember_NothingChanges()
    {
        var pair = fixture.AddPair(nameof(ReportRequestFrom_ActiveOrUnknownMember_NothingChanges));
        var before = await pair.Grain.GetRoute();

        var fromActive = await pair.Grain.ReportRequestFrom(pair.Primary);
        var fromStranger = await pair.Grain.ReportRequestFrom("203.0.113.9:5060");

        Assert.Equal(before, fromActive);
        Assert.Equal(before, fromStranger);
        Assert.Empty((await pair.Grain.GetStatus()).History);
    }

    [Fact]
    public async Task ReportTransactionFailure_ActiveOnce_RetryOnTheOtherMemberWithoutSwitching()
    {
        var pair = fixture.AddPair(nameof(ReportTransactionFailure_ActiveOnce_RetryOnTheOtherMemberWithoutSwitching));
        var before = await pair.Grain.GetRoute();

        var retryOn = await pair.Grain.ReportTransactionFailure(pair.Primary, "no response in time");

        Assert.Equal(pair.Backup, retryOn);
        Assert.Equal(before, await pair.Grain.GetRoute());
    }

    [Fact]
    public async Task ReportTransactionFailure_ActiveTwiceInARow_Switches()
    {
        var pair = fixture.AddPair(nameof(ReportTransactionFailure_ActiveTwiceInARow_Switches));
        var before = await pair.Grain.GetRoute();

        await pair.Grain.ReportTransactionFailure(pair.Primary, "no response in time");
        var retryOn = await pair.Grain.ReportTransactionFailure(pair.Primary, "answered 503");

        Assert.Equal(pair.Backup, retryOn);
        var route = await pair.Grain.GetRoute();
        Assert.Equal(pair.Backup, route.ActiveMember);
        Assert.True(route.Version > before.Version);
        var record = Assert.Single((await pair.Grain.GetStatus()).History);
        Assert.Equal(SwitchoverReason.TransactionFailure, record.Reason);
        Assert.Contains("answered 503", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportTransactionFailure_Standby_RetryOnTheActiveNothingChanges()
    {
        var pair = fixture.AddPair(nameof(ReportTransactionFailure_Standby_RetryOnTheActiveNothingChanges));
        var before = await pair.Grain.GetRoute();

        var retryOn = await pair.Grain.ReportTransactionFailure(pair.Backup, "no response in time");

        Assert.Equal(pair.Primary, retryOn);
        Assert.Equal(before, await pair.Grain.GetRoute());
        Assert.Empty((await pair.Grain.GetStatus()).History);
    }

    [Fact]
    public async Task Switchover_OtherMemberNotDown_SwitchesAndRecordsRequester()
    {
        var pair = fixture.AddPair(nameof(Switchover_OtherMemberNotDown_SwitchesAndRecordsRequester));

        var status = await pair.Grain.Switchover("cli bob");

        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        var record = Assert.Single(status.History);
        Assert.Equal(SwitchoverReason.Manual, record.Reason);
        Assert.Contains("cli bob", record.Detail, StringComparison.Ordinal);
        Assert.Equal(pair.Backup, (await pair.Grain.GetRoute()).ActiveMember);
    }

    [Fact]
    public async Task Switchover_OtherMemberDown_RefusedWithReason()
    {
        var pair = await StartWithPrimaryOnlyAsync(nameof(Switchover_OtherMemberDown_RefusedWithReason));
        await Eventually.Until(pair.Grain.GetStatus, s => s.Backup.Health == MemberHealth.Down, "the silent backup is down");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Grain.Switchover("ops"));

        Assert.Contains(pair.Backup, error.Message, StringComparison.Ordinal);
        Assert.Contains("down", error.Message, StringComparison.Ordinal);
        var status = await pair.Grain.GetStatus();
        Assert.Equal(MemberRole.Primary, status.ActiveRole);
        Assert.Empty(status.History);
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
        var pair = fixture.AddPair(nameof(Reminder_AfterDeactivation_ProbingResumes));
        Prober.Script(pair.Primary, ProbeScript.Answer);
        Prober.Script(pair.Backup, ProbeScript.Answer);
        await pair.Grain.Start();
        await Eventually.Until(() => Prober.CallsTo(pair.Primary), calls => calls >= 2, "the primary is probed");

        await fixture.Cluster.DeactivateAsync(pair.Grain);
        var probesBeforeReminder = Prober.CallsTo(pair.Primary);

        await Eventually.Until(
            () => Prober.CallsTo(pair.Primary),
            calls => calls >= probesBeforeReminder + 3,
            "the keep-alive reminder re-activates the grain and probing resumes");
    }

    private async Task<TestPair> StartWithPrimaryOnlyAsync(string name)
    {
        var pair = fixture.AddPair(name);
        Prober.Script(pair.Primary, ProbeScript.Answer);
        Prober.Script(pair.Backup, ProbeScript.Silent);
        await pair.Grain.Start();
        await Eventually.Until(pair.Grain.GetStatus, s => s.Primary.Health == MemberHealth.Serving, "the primary is up");
        return pair;
    }
}
