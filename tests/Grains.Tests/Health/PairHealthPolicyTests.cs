using System.Collections.Immutable;
using OrleansProxy.Grains.Health;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Tests.Health;

/// <summary>
/// The switchover rules of DESIGN.md ("How a switchover is detected") over hand-built state, one probe answer at a
/// time, against a hot-standby pair: the standby answers 503 until it takes over.
/// </summary>
public sealed class PairHealthPolicyTests
{
    private const string Primary = "10.0.0.1:5060";
    private const string Backup = "10.0.0.2:5060";

    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ProbeResult Ok = new(true, TimeSpan.FromMilliseconds(3), 200);
    private static readonly ProbeResult Refused = new(true, TimeSpan.FromMilliseconds(2), 503);
    private static readonly ProbeResult SlowOk = new(true, TimeSpan.FromMilliseconds(390), 200);
    private static readonly ProbeResult Silence = ProbeResult.NoAnswer(TimeSpan.FromMilliseconds(400));

    private readonly PairHealthPolicy _policy = new(failuresToDown: 2);

    [Fact]
    public void ApplyProbe_Answer2xx_ServingWithRttStatusAndTimes()
    {
        var state = _policy.ApplyProbe(NewPair(), MemberRole.Backup, Ok, T0.AddSeconds(1));

        Assert.Equal(
            new MemberStatus(Backup, MemberRole.Backup, MemberHealth.Serving, 0, Ok.RoundTrip, T0.AddSeconds(1), T0.AddSeconds(1), 200),
            state.Backup);
    }

    [Fact]
    public void ApplyProbe_Answer503_NotServingButAlive()
    {
        var before = Member(Backup, MemberRole.Backup, MemberHealth.Unknown, failures: 1);

        var state = _policy.ApplyProbe(NewPair().WithMember(before), MemberRole.Backup, Refused, T0);

        Assert.Equal(MemberHealth.NotServing, state.Backup.Health);
        Assert.Equal(0, state.Backup.ConsecutiveFailures);
        Assert.Equal(503, state.Backup.LastProbeStatus);
        Assert.Equal(T0, state.Backup.LastAnsweredAt);
    }

    [Theory]
    [InlineData(MemberHealth.Serving)]
    [InlineData(MemberHealth.NotServing)]
    public void ApplyProbe_FewerMissesThanFailuresToDown_HealthKeptMissesCounted(MemberHealth health)
    {
        var before = Running().WithMember(Member(Backup, MemberRole.Backup, health, failures: 0, answeredAt: T0));

        var state = _policy.ApplyProbe(before, MemberRole.Backup, Silence, T0.AddSeconds(1));

        Assert.Equal(health, state.Backup.Health);
        Assert.Equal(1, state.Backup.ConsecutiveFailures);
        Assert.Equal(T0.AddSeconds(1), state.Backup.LastProbeAt);
        Assert.Equal(T0, state.Backup.LastAnsweredAt);
    }

    [Fact]
    public void ApplyProbe_FailuresToDownMissesInARow_Down()
    {
        var state = Running();

        state = _policy.ApplyProbe(state, MemberRole.Backup, Silence, T0);
        state = _policy.ApplyProbe(state, MemberRole.Backup, Silence, T0.AddSeconds(1));

        Assert.Equal(MemberHealth.Down, state.Backup.Health);
        Assert.Equal(2, state.Backup.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyProbe_MissesInterruptedByAnAnswer_CountStartsAgain()
    {
        var state = Running();

        state = _policy.ApplyProbe(state, MemberRole.Backup, Silence, T0);
        state = _policy.ApplyProbe(state, MemberRole.Backup, Refused, T0.AddSeconds(1));
        state = _policy.ApplyProbe(state, MemberRole.Backup, Silence, T0.AddSeconds(2));

        Assert.Equal(MemberHealth.NotServing, state.Backup.Health);
        Assert.Equal(1, state.Backup.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyProbe_DownMemberAnswersOnce_ServingAgain()
    {
        var before = Running().WithMember(Member(Backup, MemberRole.Backup, MemberHealth.Down, failures: 9));

        var state = _policy.ApplyProbe(before, MemberRole.Backup, Ok, T0);

        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.Equal(0, state.Backup.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyProbe_FailuresAtMaximum_DoNotOverflow()
    {
        var before = Running().WithMember(Member(Backup, MemberRole.Backup, MemberHealth.Down, int.MaxValue));

        var state = _policy.ApplyProbe(before, MemberRole.Backup, Silence, T0);

        Assert.Equal(int.MaxValue, state.Backup.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyProbe_OneMember_OtherMemberUntouched()
    {
        var before = Running();

        var state = _policy.ApplyProbe(before, MemberRole.Primary, SlowOk, T0.AddSeconds(1));

        Assert.Same(before.Backup, state.Backup);
        Assert.Equal(SlowOk.RoundTrip, state.Primary.LastProbeRtt);
    }

    [Theory]
    [InlineData(200, MemberHealth.Serving)]
    [InlineData(404, MemberHealth.Serving)]
    [InlineData(403, MemberHealth.NotServing)]
    [InlineData(503, MemberHealth.NotServing)]
    public void ApplyProbe_ServingCodesAdd404_404CountsAsServing(int statusCode, MemberHealth health)
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, new ServingCodes([2], [404]));

        var state = policy.ApplyProbe(NewPair(), MemberRole.Primary, new ProbeResult(true, TimeSpan.FromMilliseconds(1), statusCode), T0);

        Assert.Equal(health, state.Primary.Health);
        Assert.Equal(statusCode, state.Primary.LastProbeStatus);
    }

    [Fact]
    public void ApplyProbe_ServingCodesOnly200_Other2xxNotServing()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, new ServingCodes([], [200]));

        var state = policy.ApplyProbe(NewPair(), MemberRole.Primary, new ProbeResult(true, TimeSpan.FromMilliseconds(1), 202), T0);

        Assert.Equal(MemberHealth.NotServing, state.Primary.Health);
        Assert.False(state.Available);
    }

    [Fact]
    public void ApplyProbe_StandbyAnswers404WhereConfiguredServing_TakesOverFromDeadActive()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, new ServingCodes([2], [404]));
        var state = Running().WithMember(Member(Primary, MemberRole.Primary, MemberHealth.Serving, failures: 1));

        state = policy.ApplyProbe(state, MemberRole.Backup, new ProbeResult(true, TimeSpan.FromMilliseconds(1), 404), T0);
        state = policy.ApplyProbe(state, MemberRole.Primary, Silence, T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(SwitchoverReason.ActiveDown, Assert.Single(state.History).Reason);
    }

    [Theory]
    [InlineData(MemberRole.Primary)]
    [InlineData(MemberRole.Backup)]
    public void ApplyProbe_BothServeAtStart_PrimaryActive(MemberRole answersFirst)
    {
        var state = Round(NewPair(), Ok, Ok, T0.AddMilliseconds(10), answersFirst);

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(Primary, state.ToRoute().ActiveMember);
        Assert.Null(state.UnavailableSince);
        Assert.Equal(2, state.Version);
        Assert.Empty(state.History);
        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void ApplyProbe_BackupServesFirstAtStart_WaitsForPrimaryProbe()
    {
        var before = NewPair();

        var state = _policy.ApplyProbe(before, MemberRole.Backup, Ok, T0.AddMilliseconds(5));

        Assert.False(state.Available);
        Assert.Null(state.ToRoute().ActiveMember);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.Equal(before.Version, state.Version);
        Assert.Equal(T0, state.UnavailableSince);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_PrimaryServesFirstAtStart_ActiveWithoutWaitingForBackup()
    {
        var state = _policy.ApplyProbe(NewPair(), MemberRole.Primary, Ok, T0.AddMilliseconds(5));

        Assert.True(state.Available);
        Assert.Equal(Primary, state.ToRoute().ActiveMember);
        Assert.Equal(MemberHealth.Unknown, state.Backup.Health);
        Assert.Equal(2, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_BackupServesThenPrimaryMissesOneProbe_StillWaitsForThePrimary()
    {
        var waiting = _policy.ApplyProbe(NewPair(), MemberRole.Backup, Ok, T0.AddMilliseconds(5));

        var state = _policy.ApplyProbe(waiting, MemberRole.Primary, Silence, T0.AddMilliseconds(400));

        // One slow first answer (a TLS handshake, a busy host) is not a primary that refuses or is down.
        Assert.False(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_BackupServesAndPrimaryMissesUntilDown_BackupActiveFirstToRecover()
    {
        var waiting = _policy.ApplyProbe(NewPair(), MemberRole.Backup, Ok, T0.AddMilliseconds(5));
        waiting = _policy.ApplyProbe(waiting, MemberRole.Primary, Silence, T0.AddMilliseconds(400));
        waiting = _policy.ApplyProbe(waiting, MemberRole.Backup, Ok, T0.AddMilliseconds(405));

        var state = _policy.ApplyProbe(waiting, MemberRole.Primary, Silence, T0.AddMilliseconds(425));

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(MemberHealth.Down, state.Primary.Health);
        Assert.Equal(waiting.Version + 1, state.Version);
        Assert.Null(state.UnavailableSince);
        var record = Assert.Single(state.History);
        Assert.Equal(new SwitchoverRecord(T0.AddMilliseconds(425), null, Backup, SwitchoverReason.FirstToRecover, record.Detail), record);
    }

    [Fact]
    public void ApplyProbe_PrimaryRefusesAtStartThenBackupServes_BackupActiveFirstToRecover()
    {
        var refused = _policy.ApplyProbe(NewPair(), MemberRole.Primary, Refused, T0.AddMilliseconds(2));
        Assert.False(refused.Available);

        var state = _policy.ApplyProbe(refused, MemberRole.Backup, Ok, T0.AddMilliseconds(3));

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.True(state.Available);
        var record = Assert.Single(state.History);
        Assert.Equal(SwitchoverReason.FirstToRecover, record.Reason);
        Assert.Contains("503", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyProbe_BothRefuseAtStart_StaysUnavailableVersionUnchanged()
    {
        var state = Round(NewPair(), Refused, Refused, T0.AddMilliseconds(2));

        Assert.False(state.Available);
        Assert.Equal(1, state.Version);
        Assert.Equal(T0, state.UnavailableSince);
        Assert.Equal((MemberHealth.NotServing, MemberHealth.NotServing), (state.Primary.Health, state.Backup.Health));
    }

    [Fact]
    public void ApplyProbe_ActiveSlowButAnswering_NeverSwitches()
    {
        var before = Running();
        var state = before;

        for (var round = 0; round < 20; round++)
        {
            state = Round(state, SlowOk, Ok, T0.AddSeconds(round));
        }

        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.True(state.Available);
        Assert.Equal(before.Version, state.Version);
        Assert.Empty(state.History);
        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void ApplyProbe_ActiveMissesFewerThanFailuresToDownWhileOtherServes_NothingSwitches()
    {
        var before = Running();

        var state = Round(before, Silence, Ok, T0);

        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal((MemberHealth.Serving, 1), (state.Primary.Health, state.Primary.ConsecutiveFailures));
        Assert.Equal(before.Version, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_ActiveDownWhileOtherServes_SwitchesActiveDown()
    {
        var before = Round(Running(), Silence, Ok, T0);

        var state = Round(before, Silence, Ok, T0.AddSeconds(1));

        Assert.Equal(MemberHealth.Down, state.Primary.Health);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.True(state.Available);
        Assert.Null(state.UnavailableSince);
        Assert.Equal(before.Version + 1, state.Version);
        var record = Assert.Single(state.History);
        Assert.Equal(new SwitchoverRecord(T0.AddSeconds(1), Primary, Backup, SwitchoverReason.ActiveDown, record.Detail), record);
        Assert.Contains("missed 2 consecutive probes", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyProbe_FailuresToDownOneActiveMissesOnce_Switches()
    {
        var policy = new PairHealthPolicy(failuresToDown: 1);

        var state = policy.ApplyProbe(Running(), MemberRole.Primary, Silence, T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(SwitchoverReason.ActiveDown, Assert.Single(state.History).Reason);
    }

    [Fact]
    public void ApplyProbe_ActiveAnswers503WhileOtherServes_SwitchesActiveNotServing()
    {
        var before = Running();

        var state = _policy.ApplyProbe(before, MemberRole.Primary, Refused, T0);

        Assert.Equal(MemberHealth.NotServing, state.Primary.Health);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.True(state.Available);
        Assert.Equal(before.Version + 1, state.Version);
        var record = Assert.Single(state.History);
        Assert.Equal(new SwitchoverRecord(T0, Primary, Backup, SwitchoverReason.ActiveNotServing, record.Detail), record);
        Assert.Contains("503", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyProbe_ActiveAnswers503WhileOtherRefusesToo_PairUnavailable()
    {
        var before = Running().WithMember(Member(Backup, MemberRole.Backup, MemberHealth.NotServing, failures: 0));

        var state = _policy.ApplyProbe(before, MemberRole.Primary, Refused, T0);

        Assert.False(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(T0, state.UnavailableSince);
        Assert.Equal(before.Version + 1, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_Standby503WhileActiveDies_PairUnavailableNotSwitched()
    {
        var state = Running().WithMember(Member(Backup, MemberRole.Backup, MemberHealth.NotServing, failures: 0));
        var before = state;

        state = Round(state, Silence, Refused, T0);
        state = Round(state, Silence, Refused, T0.AddSeconds(1));

        Assert.Equal(MemberHealth.Down, state.Primary.Health);
        Assert.Equal(MemberHealth.NotServing, state.Backup.Health);
        Assert.False(state.Available);
        Assert.Null(state.ToRoute().ActiveMember);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(T0.AddSeconds(1), state.UnavailableSince);
        Assert.Equal(before.Version + 1, state.Version);
        Assert.True(state.NeedsFastProbing);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_StandbyFirst2xxWhileUnavailable_BecomesActive()
    {
        var unavailable = ActiveDiedStandbyRefusing();

        var state = _policy.ApplyProbe(unavailable, MemberRole.Backup, Ok, T0.AddSeconds(5));

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(Backup, state.ToRoute().ActiveMember);
        Assert.Null(state.UnavailableSince);
        Assert.Equal(unavailable.Version + 1, state.Version);
        Assert.False(state.NeedsFastProbing);
        var record = Assert.Single(state.History);
        Assert.Equal(new SwitchoverRecord(T0.AddSeconds(5), null, Backup, SwitchoverReason.FirstToRecover, record.Detail), record);
    }

    [Fact]
    public void ApplyProbe_PreviousActiveServesFirstWhileUnavailable_AvailableWithoutSwitch()
    {
        var unavailable = ActiveDiedStandbyRefusing();

        var state = _policy.ApplyProbe(unavailable, MemberRole.Primary, Ok, T0.AddSeconds(5));

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Null(state.UnavailableSince);
        Assert.Equal(unavailable.Version + 1, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_StillUnavailable_VersionAndUnavailableSinceKept()
    {
        var unavailable = ActiveDiedStandbyRefusing();

        var state = Round(unavailable, Silence, Refused, T0.AddSeconds(5));
        state = Round(state, Refused, Silence, T0.AddSeconds(6));

        Assert.False(state.Available);
        Assert.Equal(unavailable.Version, state.Version);
        Assert.Equal(unavailable.UnavailableSince, state.UnavailableSince);
    }

    [Fact]
    public void ApplyProbe_ActiveDiesWhileStandbyServingMissedItsLastProbe_PairUnavailable()
    {
        var state = Running() with
        {
            Primary = Member(Primary, MemberRole.Primary, MemberHealth.Serving, failures: 1),
            Backup = Member(Backup, MemberRole.Backup, MemberHealth.Serving, failures: 1),
        };

        state = _policy.ApplyProbe(state, MemberRole.Primary, Silence, T0);

        Assert.Equal(MemberHealth.Down, state.Primary.Health);
        Assert.False(state.Available);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_StandbySilentWhileActiveServes_StandbyDownNothingSwitches()
    {
        var before = Running();
        var state = before;
        for (var round = 0; round < 5; round++)
        {
            state = Round(state, Ok, Silence, T0.AddSeconds(round));
        }

        Assert.Equal(MemberHealth.Down, state.Backup.Health);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.True(state.Available);
        Assert.Equal(before.Version, state.Version);
        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void ApplyProbe_OldPrimaryServesAgainAfterFailover_StaysStandby()
    {
        var failedOver = Running() with
        {
            Primary = Member(Primary, MemberRole.Primary, MemberHealth.Down, failures: 5),
            ActiveRole = MemberRole.Backup,
            Version = 3,
        };

        var state = Round(failedOver, Ok, Ok, T0);

        Assert.Equal(MemberHealth.Serving, state.Primary.Health);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(3, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbe_BothDieAfterFailoverThenPrimaryServesFirst_PrimaryActiveAgain()
    {
        var unavailable = Running() with
        {
            Primary = Member(Primary, MemberRole.Primary, MemberHealth.Down, failures: 5),
            Backup = Member(Backup, MemberRole.Backup, MemberHealth.Down, failures: 3, probedAt: T0),
            ActiveRole = MemberRole.Backup,
            Available = false,
            UnavailableSince = T0,
            Version = 4,
        };

        var state = _policy.ApplyProbe(unavailable, MemberRole.Primary, Ok, T0.AddSeconds(1));

        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.True(state.Available);
        var record = Assert.Single(state.History);
        Assert.Equal(((string?)null, Primary, SwitchoverReason.FirstToRecover), (record.From, record.To, record.Reason));
    }

    [Fact]
    public void ApplyRequestFrom_Standby_SwitchesAtOnce()
    {
        var before = Running();

        var state = _policy.ApplyRequestFrom(before, Backup, T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.Equal(before.Version + 1, state.Version);
        Assert.Equal(new SwitchoverRecord(T0, Primary, Backup, SwitchoverReason.TrafficFromStandby, state.History[0].Detail), Assert.Single(state.History));
    }

    [Fact]
    public void ApplyRequestFrom_StandbyThatRefusesProbes_SwitchesAtOnceAndServing()
    {
        var before = Running().WithMember(Member(Backup, MemberRole.Backup, MemberHealth.NotServing, failures: 0));

        var state = _policy.ApplyRequestFrom(before, Backup, T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal((MemberHealth.Serving, 0, (DateTimeOffset?)T0), (state.Backup.Health, state.Backup.ConsecutiveFailures, state.Backup.LastAnsweredAt));
    }

    [Fact]
    public void ApplyRequestFrom_StandbyWhileUnavailable_ActiveFromNone()
    {
        var unavailable = ActiveDiedStandbyRefusing();

        var state = _policy.ApplyRequestFrom(unavailable, Backup, T0.AddSeconds(5));

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Null(state.UnavailableSince);
        Assert.Equal(unavailable.Version + 1, state.Version);
        var record = Assert.Single(state.History);
        Assert.Equal(((string?)null, Backup, SwitchoverReason.TrafficFromStandby), (record.From, record.To, record.Reason));
    }

    [Fact]
    public void ApplyRequestFrom_BackupBeforeAnyProbe_BackupActive()
    {
        var state = _policy.ApplyRequestFrom(NewPair(), Backup, T0.AddMilliseconds(1));

        Assert.True(state.Available);
        Assert.Equal(Backup, state.ToRoute().ActiveMember);
        Assert.Equal(SwitchoverReason.TrafficFromStandby, Assert.Single(state.History).Reason);
    }

    [Fact]
    public void ApplyRequestFrom_StandbyAddressInOtherCase_Switches()
    {
        var pair = Running() with
        {
            Primary = Member("sip-a.example.com:5060", MemberRole.Primary, MemberHealth.Serving, 0),
            Backup = Member("sip-b.example.com:5060", MemberRole.Backup, MemberHealth.NotServing, 0),
        };

        var state = _policy.ApplyRequestFrom(pair, "SIP-B.example.com:5060", T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
    }

    [Fact]
    public void ApplyRequestFrom_ActiveWhileUnavailable_Recovers()
    {
        var unavailable = ActiveDiedStandbyRefusing();

        var state = _policy.ApplyRequestFrom(unavailable, Primary, T0.AddSeconds(5));

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(Primary, state.ToRoute().ActiveMember);
        Assert.Equal((MemberHealth.Serving, 0, (DateTimeOffset?)T0.AddSeconds(5)), (state.Primary.Health, state.Primary.ConsecutiveFailures, state.Primary.LastAnsweredAt));
        Assert.Null(state.UnavailableSince);
        Assert.Equal(unavailable.Version + 1, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyRequestFrom_PrimaryBeforeAnyProbe_Recovers()
    {
        var state = _policy.ApplyRequestFrom(NewPair(), Primary, T0.AddMilliseconds(1));

        Assert.True(state.Available);
        Assert.Equal(Primary, state.ToRoute().ActiveMember);
        Assert.Equal(2, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyRequestFrom_ActiveWhileAvailable_SameState()
    {
        var before = Running();

        Assert.Same(before, _policy.ApplyRequestFrom(before, Primary, T0));
    }

    [Theory]
    [InlineData("10.9.9.9:5060")]
    [InlineData("10.0.0.1:5061")]
    [InlineData("")]
    public void ApplyRequestFrom_UnknownAddress_SameState(string member)
    {
        var available = Running();
        var unavailable = ActiveDiedStandbyRefusing();

        Assert.Same(available, _policy.ApplyRequestFrom(available, member, T0));
        Assert.Same(unavailable, _policy.ApplyRequestFrom(unavailable, member, T0));
    }

    [Fact]
    public void ApplyRequestFrom_PairWithOneAddressTwice_NeverSwitches()
    {
        var pair = PairState.Initial(new HaPairSettings("main", Primary, Primary, Probe()), T0);
        var running = pair with { Available = true, UnavailableSince = null, Version = 2 };

        Assert.Same(pair, _policy.ApplyRequestFrom(pair, Primary, T0));
        Assert.Same(running, _policy.ApplyRequestFrom(running, Primary, T0));
    }

    [Fact]
    public void ApplyManualSwitchover_StandbyServing_SwitchesAndNamesRequester()
    {
        var before = Running();

        var state = _policy.ApplyManualSwitchover(before, "admin-api alice", T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(before.Version + 1, state.Version);
        var record = Assert.Single(state.History);
        Assert.Equal((Primary, Backup, SwitchoverReason.Manual, T0), (record.From, record.To, record.Reason, record.At));
        Assert.Contains("admin-api alice", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyManualSwitchover_Twice_SwitchesBackWithTwoEntriesNewestLast()
    {
        var once = _policy.ApplyManualSwitchover(Running(), "ops", T0);

        var twice = _policy.ApplyManualSwitchover(once, "ops", T0.AddSeconds(1));

        Assert.Equal(MemberRole.Primary, twice.ActiveRole);
        Assert.Equal(2, twice.History.Length);
        Assert.Equal(Primary, twice.History[1].To);
        Assert.Equal(T0.AddSeconds(1), twice.History[1].At);
    }

    [Theory]
    [InlineData(MemberHealth.NotServing, "answers probes with 503")]
    [InlineData(MemberHealth.Down, "down")]
    [InlineData(MemberHealth.Unknown, "not probed yet")]
    public void ApplyManualSwitchover_StandbyNotServing_Throws(MemberHealth health, string why)
    {
        var standby = health == MemberHealth.Unknown
            ? new MemberStatus(Backup, MemberRole.Backup, MemberHealth.Unknown, 0, null, null, null)
            : Member(Backup, MemberRole.Backup, health, failures: health == MemberHealth.Down ? 3 : 0);
        var state = Running().WithMember(standby);

        var error = Assert.Throws<InvalidOperationException>(() => _policy.ApplyManualSwitchover(state, "ops", T0));

        Assert.Contains("'main'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Backup, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MemberHealth.Serving, 0, 200, "serving")]
    [InlineData(MemberHealth.NotServing, 0, 503, "answers probes with 503")]
    [InlineData(MemberHealth.Down, 4, 0, "down, 4 consecutive probes unanswered")]
    [InlineData(MemberHealth.Unknown, 1, 0, "1 probe(s) unanswered")]
    public void Describe_EachHealth_SaysWhy(MemberHealth health, int failures, int status, string expected)
    {
        var member = new MemberStatus(Primary, MemberRole.Primary, health, failures, null, T0, null, status);

        Assert.Equal(expected, PairHealthPolicy.Describe(member));
    }

    [Fact]
    public void History_MoreSwitchesThanLimit_KeepsNewestLast()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, historyLimit: 3);
        var state = Running();
        for (var i = 0; i < 5; i++)
        {
            state = policy.ApplyManualSwitchover(state, $"op{i}", T0.AddSeconds(i));
        }

        Assert.Equal(3, state.History.Length);
        Assert.Equal(["op2", "op3", "op4"], state.History.Select(r => r.Detail[^3..]));
        Assert.Equal(7, state.Version);
    }

    [Fact]
    public void History_ProbeSwitchesBeyondTheDefaultLimit_BoundedAtTheLimit()
    {
        var state = Running();
        for (var i = 0; i < PairHealthPolicy.DefaultHistoryLimit + 5; i++)
        {
            // The active refuses while the other serves: one switch per answer, back and forth.
            state = _policy.ApplyProbe(state, state.ActiveRole, Refused, T0.AddSeconds(2 * i));
            state = _policy.ApplyProbe(state, state.Standby.Role, Ok, T0.AddSeconds((2 * i) + 1));
        }

        Assert.Equal(PairHealthPolicy.DefaultHistoryLimit, state.History.Length);
        Assert.Equal(T0.AddSeconds(2 * (PairHealthPolicy.DefaultHistoryLimit + 4)), state.History[^1].At);
        Assert.All(state.History, record => Assert.Equal(SwitchoverReason.ActiveNotServing, record.Reason));
    }

    [Fact]
    public void Version_EveryAvailabilityChangeAndSwitch_GrowsByOne()
    {
        var versions = new List<long>();
        var state = NewPair();
        versions.Add(state.Version);

        state = Round(state, Ok, Refused, T0.AddSeconds(1));          // available on the primary
        versions.Add(state.Version);
        state = Round(state, Silence, Refused, T0.AddSeconds(2));
        state = Round(state, Silence, Refused, T0.AddSeconds(3));     // primary down, standby refuses: unavailable
        versions.Add(state.Version);
        state = Round(state, Silence, Ok, T0.AddSeconds(4));          // backup serves first
        versions.Add(state.Version);
        state = _policy.ApplyRequestFrom(state, Primary, T0.AddSeconds(5)); // the old primary took over
        versions.Add(state.Version);

        Assert.Equal([1L, 2L, 3L, 4L, 5L], versions);
    }

    [Fact]
    public void Version_ProbesThatChangeNoRoute_Unchanged()
    {
        var before = Running();

        var state = Round(before, Ok, Refused, T0);
        state = Round(state, SlowOk, Silence, T0.AddSeconds(1));
        state = Round(state, Ok, Silence, T0.AddSeconds(2));
        state = Round(state, Ok, Ok, T0.AddSeconds(3));

        Assert.Equal(before.Version, state.Version);
        Assert.Equal(before.ToRoute(), state.ToRoute());
    }

    [Fact]
    public void UnavailableSince_LostThenRegained_SetAtTheLossClearedOnRecovery()
    {
        var state = Running();

        state = _policy.ApplyProbe(state, MemberRole.Backup, Refused, T0);
        state = _policy.ApplyProbe(state, MemberRole.Primary, Refused, T0.AddSeconds(1));
        var lost = state;
        state = Round(state, Refused, Refused, T0.AddSeconds(2));
        var still = state;
        state = _policy.ApplyProbe(state, MemberRole.Primary, Ok, T0.AddSeconds(3));

        Assert.Equal(T0.AddSeconds(1), lost.UnavailableSince);
        Assert.Equal(T0.AddSeconds(1), lost.ToRoute().UnavailableSince);
        Assert.Equal(T0.AddSeconds(1), still.UnavailableSince);
        Assert.Null(state.UnavailableSince);
        Assert.Null(state.ToRoute().UnavailableSince);
        Assert.Null(state.ToStatus().UnavailableSince);
    }

    [Fact]
    public void Constructor_FailuresToDownBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PairHealthPolicy(failuresToDown: 0));
    }

    [Fact]
    public void Constructor_HistoryLimitBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PairHealthPolicy(failuresToDown: 2, historyLimit: 0));
    }

    /// <summary>One tick as the grain sees it: both members probed, their answers applied in the order they came.</summary>
    private PairState Round(PairState state, ProbeResult primary, ProbeResult backup, DateTimeOffset at, MemberRole answersFirst = MemberRole.Primary)
    {
        var (firstResult, secondResult) = answersFirst == MemberRole.Primary ? (primary, backup) : (backup, primary);
        state = _policy.ApplyProbe(state, answersFirst, firstResult, at);
        return _policy.ApplyProbe(state, PairState.Other(answersFirst), secondResult, at);
    }

    private static ProbeSettings Probe() => new(
        Interval: TimeSpan.FromMilliseconds(500),
        Timeout: TimeSpan.FromMilliseconds(400),
        FailuresToDown: 2,
        FastInterval: TimeSpan.FromMilliseconds(100),
        KeepAlivePeriod: TimeSpan.FromMinutes(1));

    private static PairState NewPair() => PairState.Initial(new HaPairSettings("main", Primary, Backup, Probe()), T0);

    /// <summary>Both members serve, the primary is active: a pair some time after start.</summary>
    private static PairState Running() => NewPair() with
    {
        Primary = Member(Primary, MemberRole.Primary, MemberHealth.Serving, failures: 0),
        Backup = Member(Backup, MemberRole.Backup, MemberHealth.Serving, failures: 0),
        Available = true,
        UnavailableSince = null,
        Version = 2,
        History = ImmutableArray<SwitchoverRecord>.Empty,
    };

    /// <summary>The primary was active and went down while the hot standby still refused: requests wait.</summary>
    private static PairState ActiveDiedStandbyRefusing() => Running() with
    {
        Primary = Member(Primary, MemberRole.Primary, MemberHealth.Down, failures: 2),
        Backup = Member(Backup, MemberRole.Backup, MemberHealth.NotServing, failures: 0),
        Available = false,
        UnavailableSince = T0.AddSeconds(1),
        Version = 3,
    };

    private static MemberStatus Member(
        string address, MemberRole role, MemberHealth health, int failures, DateTimeOffset? probedAt = null, DateTimeOffset? answeredAt = null)
    {
        var status = health switch
        {
            MemberHealth.Serving => 200,
            MemberHealth.NotServing => 503,
            _ => 0,
        };

        // A member that has a health other than Unknown has been probed.
        var at = probedAt ?? (health == MemberHealth.Unknown && failures == 0 ? null : T0.AddSeconds(-1));
        return new MemberStatus(address, role, health, failures, null, at, answeredAt, status);
    }
}
