using OrleansProxy.Grains.Health;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Tests.Health;

public sealed class PairHealthPolicyTests
{
    private const string Primary = "10.0.0.1:5060";
    private const string Backup = "10.0.0.2:5060";

    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ProbeResult Answer = new(true, TimeSpan.FromMilliseconds(3), 200);
    private static readonly ProbeResult Silence = ProbeResult.NoAnswer(TimeSpan.FromMilliseconds(400));

    private readonly PairHealthPolicy _policy = new(failuresToDown: 2);

    [Fact]
    public void ApplyProbes_BothAnswer_BothUpWithRttAndTimes()
    {
        var state = _policy.ApplyProbes(NewPair(), Answer, Answer, T0);

        Assert.Equal(MemberHealth.Serving, state.Primary.Health);
        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.Equal(TimeSpan.FromMilliseconds(3), state.Primary.LastProbeRtt);
        Assert.Equal(T0, state.Primary.LastProbeAt);
        Assert.Equal(T0, state.Primary.LastAnsweredAt);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public void ApplyProbes_ActiveMissesFewerThanFailuresToDown_NothingSwitches()
    {
        var up = _policy.ApplyProbes(NewPair(), Answer, Answer, T0);

        var state = _policy.ApplyProbes(up, Silence, Answer, T0.AddSeconds(1));

        Assert.Equal(MemberHealth.Serving, state.Primary.Health);
        Assert.Equal(1, state.Primary.ConsecutiveFailures);
        Assert.Equal(T0.AddSeconds(1), state.Primary.LastProbeAt);
        Assert.Equal(T0, state.Primary.LastAnsweredAt);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(up.Version, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbes_PrimarySilentTwiceBackupAnswering_SwitchesToBackup()
    {
        var round1 = _policy.ApplyProbes(NewPair(), Silence, Answer, T0);
        Assert.Equal(MemberRole.Primary, round1.ActiveRole);

        var round2 = _policy.ApplyProbes(round1, Silence, Answer, T0.AddSeconds(1));

        Assert.Equal(MemberHealth.Down, round2.Primary.Health);
        Assert.Equal(MemberRole.Backup, round2.ActiveRole);
        Assert.True(round2.Available);
        Assert.Equal(round1.Version + 1, round2.Version);
        var record = Assert.Single(round2.History);
        Assert.Equal(new SwitchoverRecord(T0.AddSeconds(1), Primary, Backup, SwitchoverReason.ActiveDown, record.Detail), record);
        Assert.Contains("missed 2 consecutive probes", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyProbes_OldPrimaryAnswersAgainAfterFailover_StaysStandby()
    {
        var failedOver = NewPair() with
        {
            Primary = Member(Primary, MemberRole.Primary, MemberHealth.Down, failures: 5),
            Backup = Member(Backup, MemberRole.Backup, MemberHealth.Serving, failures: 0),
            ActiveRole = MemberRole.Backup,
            Version = 2,
        };

        var state = _policy.ApplyProbes(failedOver, Answer, Answer, T0);

        Assert.Equal(MemberHealth.Serving, state.Primary.Health);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(2, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbes_ActiveDownStandbySilent_PairUnavailable()
    {
        var state = NewPair();
        state = _policy.ApplyProbes(state, Silence, Silence, T0);
        Assert.True(state.Available);

        state = _policy.ApplyProbes(state, Silence, Silence, T0.AddSeconds(1));

        Assert.False(state.Available);
        Assert.Null(state.ToRoute().ActiveMember);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(2, state.Version);
        Assert.True(state.NeedsFastProbing);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbes_ActiveDownStandbyUpButMissedLastProbe_PairUnavailable()
    {
        var state = NewPair() with
        {
            Primary = Member(Primary, MemberRole.Primary, MemberHealth.Serving, failures: 1),
            Backup = Member(Backup, MemberRole.Backup, MemberHealth.Serving, failures: 0),
        };

        state = _policy.ApplyProbes(state, Silence, Silence, T0);

        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.False(state.Available);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbes_UnavailableThenBackupAnswersFirst_BackupActiveFirstToRecover()
    {
        var unavailable = Unavailable();

        var state = _policy.ApplyProbes(unavailable, Silence, Answer, T0);

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(Backup, state.ToRoute().ActiveMember);
        Assert.Equal(unavailable.Version + 1, state.Version);
        var record = Assert.Single(state.History);
        Assert.Equal(SwitchoverReason.FirstToRecover, record.Reason);
        Assert.Null(record.From);
        Assert.Equal(Backup, record.To);
        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void ApplyProbes_UnavailableThenPreviousActiveAnswersFirst_AvailableWithoutSwitch()
    {
        var unavailable = Unavailable();

        var state = _policy.ApplyProbes(unavailable, Answer, Silence, T0);

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal(Primary, state.ToRoute().ActiveMember);
        Assert.Equal(unavailable.Version + 1, state.Version);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbes_UnavailableThenBothAnswer_PreviousActiveKept()
    {
        var state = _policy.ApplyProbes(Unavailable(), Answer, Answer, T0);

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyProbes_UnavailableAndStillSilent_NoChangeOfVersion()
    {
        var unavailable = Unavailable();

        var state = _policy.ApplyProbes(unavailable, Silence, Silence, T0);

        Assert.False(state.Available);
        Assert.Equal(unavailable.Version, state.Version);
        Assert.Equal(6, state.Primary.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyProbes_StandbyStaysSilentWhileActiveAnswers_StandbyDownNothingSwitches()
    {
        var state = NewPair();
        for (var round = 0; round < 5; round++)
        {
            state = _policy.ApplyProbes(state, Answer, Silence, T0.AddSeconds(round));
        }

        Assert.Equal(MemberHealth.Down, state.Backup.Health);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.True(state.Available);
        Assert.Equal(1, state.Version);
        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void ApplyProbes_DownMemberAnswersOnce_UpAgain()
    {
        var state = NewPair() with
        {
            Primary = Member(Primary, MemberRole.Primary, MemberHealth.Serving, failures: 0),
            Backup = Member(Backup, MemberRole.Backup, MemberHealth.Down, failures: 9),
        };

        state = _policy.ApplyProbes(state, Answer, Answer, T0);

        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.Equal(0, state.Backup.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyProbes_FailuresAtMaximum_DoNotOverflow()
    {
        var state = NewPair() with { Backup = Member(Backup, MemberRole.Backup, MemberHealth.Down, int.MaxValue) };

        state = _policy.ApplyProbes(state, Answer, Silence, T0);

        Assert.Equal(int.MaxValue, state.Backup.ConsecutiveFailures);
    }

    [Fact]
    public void ApplyRequestFrom_Standby_SwitchesAtOnceAndStandbyUp()
    {
        var before = NewPair();

        var state = _policy.ApplyRequestFrom(before, Backup, T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(MemberHealth.Serving, state.Backup.Health);
        Assert.Equal(before.Version + 1, state.Version);
        var record = Assert.Single(state.History);
        Assert.Equal(SwitchoverReason.TrafficFromStandby, record.Reason);
        Assert.Equal(Primary, record.From);
        Assert.Equal(Backup, record.To);
        Assert.Equal(T0, record.At);
    }

    [Fact]
    public void ApplyRequestFrom_StandbyAddressInOtherCase_Switches()
    {
        var pair = PairState.Initial(new HaPairSettings("main", "sip-a.example.com:5060", "sip-b.example.com:5060", Probe()));

        var state = _policy.ApplyRequestFrom(pair, "SIP-B.example.com:5060", T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
    }

    [Fact]
    public void ApplyRequestFrom_StandbyWhilePairUnavailable_StandbyActiveAndAvailable()
    {
        var state = _policy.ApplyRequestFrom(Unavailable(), Backup, T0);

        Assert.True(state.Available);
        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        var record = Assert.Single(state.History);
        Assert.Null(record.From);
        Assert.False(state.NeedsFastProbing);
    }

    [Theory]
    [InlineData(Primary)]
    [InlineData("10.9.9.9:5060")]
    [InlineData("")]
    public void ApplyRequestFrom_ActiveOrUnknownAddress_SameState(string member)
    {
        var before = NewPair();

        var state = _policy.ApplyRequestFrom(before, member, T0);

        Assert.Same(before, state);
    }

    [Fact]
    public void ApplyRequestFrom_PairWithOneAddressTwice_NeverSwitches()
    {
        var pair = PairState.Initial(new HaPairSettings("main", Primary, Primary, Probe()));

        Assert.Same(pair, _policy.ApplyRequestFrom(pair, Primary, T0));
    }

    [Fact]
    public void ApplyManualSwitchover_StandbyNotDown_SwitchesAndNamesRequester()
    {
        var state = _policy.ApplyManualSwitchover(NewPair(), "admin-api alice", T0);

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        var record = Assert.Single(state.History);
        Assert.Equal(SwitchoverReason.Manual, record.Reason);
        Assert.Equal(Primary, record.From);
        Assert.Equal(Backup, record.To);
        Assert.Contains("admin-api alice", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyManualSwitchover_Twice_SwitchesBackWithTwoEntriesNewestLast()
    {
        var once = _policy.ApplyManualSwitchover(NewPair(), "ops", T0);

        var twice = _policy.ApplyManualSwitchover(once, "ops", T0.AddSeconds(1));

        Assert.Equal(MemberRole.Primary, twice.ActiveRole);
        Assert.Equal(2, twice.History.Length);
        Assert.Equal(Primary, twice.History[1].To);
        Assert.Equal(T0.AddSeconds(1), twice.History[1].At);
    }

    [Fact]
    public void ApplyManualSwitchover_StandbyDown_ThrowsSayingWhy()
    {
        var state = NewPair() with { Backup = Member(Backup, MemberRole.Backup, MemberHealth.Down, failures: 3) };

        var error = Assert.Throws<InvalidOperationException>(() => _policy.ApplyManualSwitchover(state, "ops", T0));

        Assert.Contains("'main'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Backup, error.Message, StringComparison.Ordinal);
        Assert.Contains("down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void History_MoreSwitchesThanLimit_KeepsNewestLast()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, historyLimit: 3);
        var state = NewPair();
        for (var i = 0; i < 5; i++)
        {
            state = policy.ApplyManualSwitchover(state, $"op{i}", T0.AddSeconds(i));
        }

        Assert.Equal(3, state.History.Length);
        Assert.Equal(["op2", "op3", "op4"], state.History.Select(r => r.Detail[^3..]));
        Assert.Equal(6, state.Version);
    }

    [Fact]
    public void ApplyTransactionFailure_ActiveWithStandbyNotDown_SwitchesAndGivesStandbyAFreshCount()
    {
        var before = _policy.ApplyProbes(NewPair(), Answer, Silence, T0);

        var state = _policy.ApplyTransactionFailure(before, Primary, "no response in time", T0.AddSeconds(1));

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal(before.Version + 1, state.Version);
        Assert.Equal((MemberHealth.Unknown, 0), (state.Backup.Health, state.Backup.ConsecutiveFailures));
        var record = Assert.Single(state.History);
        Assert.Equal(SwitchoverReason.TransactionFailure, record.Reason);
        Assert.Equal((Primary, Backup, T0.AddSeconds(1)), (record.From, record.To, record.At));
        Assert.Contains("the last: no response in time", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTransactionFailure_SilentStandbyNeverHeardFrom_StillSwitches()
    {
        var round1 = _policy.ApplyProbes(NewPair(), Answer, Silence, T0);
        var silentStandby = _policy.ApplyProbes(round1, Answer, Silence, T0.AddSeconds(1));
        Assert.Equal(MemberHealth.Down, silentStandby.Backup.Health);

        var state = _policy.ApplyTransactionFailure(silentStandby, Primary, "answered 503", T0.AddSeconds(2));

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
    }

    [Fact]
    public void ApplyTransactionFailure_StandbySeenToDie_NothingChanges()
    {
        var up = _policy.ApplyProbes(NewPair(), Answer, Answer, T0);
        var round1 = _policy.ApplyProbes(up, Answer, Silence, T0.AddSeconds(1));
        var standbyDead = _policy.ApplyProbes(round1, Answer, Silence, T0.AddSeconds(2));

        var state = _policy.ApplyTransactionFailure(standbyDead, Primary, "no response in time", T0.AddSeconds(3));

        Assert.Same(standbyDead, state);
    }

    [Theory]
    [InlineData(Backup)]
    [InlineData("203.0.113.9:5060")]
    public void ApplyTransactionFailure_NotTheActiveMember_NothingChanges(string member)
    {
        var before = NewPair();

        Assert.Same(before, _policy.ApplyTransactionFailure(before, member, "answered 503", T0));
    }

    [Fact]
    public void ApplyTransactionFailure_PairUnavailable_NothingChanges()
    {
        var before = Unavailable();

        Assert.Same(before, _policy.ApplyTransactionFailure(before, Primary, "answered 503", T0));
    }

    [Fact]
    public void ApplyTransactionFailure_ReportsRacingTheSwitch_OnlyTheFirstSwitches()
    {
        var switched = _policy.ApplyTransactionFailure(NewPair(), Primary, "no response in time", T0);

        var late = _policy.ApplyTransactionFailure(switched, Primary, "no response in time", T0);

        Assert.Same(switched, late);
    }

    [Fact]
    public void ApplyTransactionFailure_WithWindowOneReport_CountedButNoSwitch()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, transactionFailureWindow: TimeSpan.FromSeconds(1));

        var state = policy.ApplyTransactionFailure(NewPair(), Primary, "no response in time", T0);

        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal((1, (DateTimeOffset?)T0), (state.TransactionFailures, state.TransactionFailuresSince));
        Assert.Empty(state.History);
    }

    [Fact]
    public void ApplyTransactionFailure_WithWindowSecondReportInside_SwitchesAndResetsTheCount()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, transactionFailureWindow: TimeSpan.FromSeconds(1));
        var once = policy.ApplyTransactionFailure(NewPair(), Primary, "no response in time", T0);

        var state = policy.ApplyTransactionFailure(once, Primary, "answered 503", T0.AddMilliseconds(900));

        Assert.Equal(MemberRole.Backup, state.ActiveRole);
        Assert.Equal((0, (DateTimeOffset?)null), (state.TransactionFailures, state.TransactionFailuresSince));
        Assert.Contains("2 transaction(s)", Assert.Single(state.History).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTransactionFailure_WithWindowReportsFarApart_NeverSwitch()
    {
        var policy = new PairHealthPolicy(failuresToDown: 2, transactionFailureWindow: TimeSpan.FromSeconds(1));
        var once = policy.ApplyTransactionFailure(NewPair(), Primary, "no response in time", T0);

        var state = policy.ApplyTransactionFailure(once, Primary, "no response in time", T0.AddSeconds(5));

        Assert.Equal(MemberRole.Primary, state.ActiveRole);
        Assert.Equal((1, (DateTimeOffset?)T0.AddSeconds(5)), (state.TransactionFailures, state.TransactionFailuresSince));
    }

    [Fact]
    public void RetryTarget_OtherMemberNotKnownDown_IsTheOtherMember()
    {
        Assert.Equal(Backup, PairHealthPolicy.RetryTarget(NewPair(), Primary));
        Assert.Equal(Primary, PairHealthPolicy.RetryTarget(NewPair(), Backup));
        Assert.Null(PairHealthPolicy.RetryTarget(NewPair(), "203.0.113.9:5060"));
    }

    [Fact]
    public void RetryTarget_OtherMemberSeenToDie_None()
    {
        var up = _policy.ApplyProbes(NewPair(), Answer, Answer, T0);
        var round1 = _policy.ApplyProbes(up, Answer, Silence, T0.AddSeconds(1));
        var standbyDead = _policy.ApplyProbes(round1, Answer, Silence, T0.AddSeconds(2));

        Assert.Null(PairHealthPolicy.RetryTarget(standbyDead, Primary));
    }

    [Fact]
    public void Constructor_FailuresToDownBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PairHealthPolicy(failuresToDown: 0));
    }

    private static ProbeSettings Probe() => new(
        Interval: TimeSpan.FromMilliseconds(500),
        Timeout: TimeSpan.FromMilliseconds(400),
        FailuresToDown: 2,
        FastInterval: TimeSpan.FromMilliseconds(100),
        KeepAlivePeriod: TimeSpan.FromMinutes(1));

    private static PairState NewPair() => PairState.Initial(new HaPairSettings("main", Primary, Backup, Probe()));

    private static PairState Unavailable() => NewPair() with
    {
        Primary = Member(Primary, MemberRole.Primary, MemberHealth.Down, failures: 5),
        Backup = Member(Backup, MemberRole.Backup, MemberHealth.Down, failures: 5),
        Available = false,
        Version = 4,
    };

    private static MemberStatus Member(string address, MemberRole role, MemberHealth health, int failures) =>
        new(address, role, health, failures, null, null, null);
}
