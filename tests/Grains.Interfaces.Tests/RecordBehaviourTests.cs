using System.Collections.Immutable;

namespace OrleansProxy.Grains.Interfaces.Tests;

public sealed class RecordBehaviourTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MemberStatus PrimaryMember = new("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Serving, 0, null, null, null);
    private static readonly MemberStatus BackupMember = new("10.0.0.2:5060", MemberRole.Backup, MemberHealth.NotServing, 0, null, null, null, 503);

    [Fact]
    public void IsAvailable_ActiveMemberSet_True()
    {
        Assert.True(new PairRoute("main", "10.0.0.1:5060", MemberRole.Primary, 1).IsAvailable);
    }

    [Fact]
    public void IsAvailable_NoActiveMember_False()
    {
        Assert.False(new PairRoute("main", null, MemberRole.Primary, 2, At).IsAvailable);
    }

    [Fact]
    public void Constructors_OptionalFieldsOmitted_UnavailableSinceNullAndNoProbeStatus()
    {
        var route = new PairRoute("main", "10.0.0.1:5060", MemberRole.Primary, 1);
        var status = new PairStatus("main", PrimaryMember, BackupMember, MemberRole.Primary, true, []);

        Assert.Null(route.UnavailableSince);
        Assert.Null(status.UnavailableSince);
        Assert.Equal(0, PrimaryMember.LastProbeStatus);
    }

    [Fact]
    public void Equals_RoutesDifferingOnlyInUnavailableSince_NotEqual()
    {
        var route = new PairRoute("main", null, MemberRole.Primary, 3, At);

        Assert.NotEqual(route, route with { UnavailableSince = At.AddSeconds(1) });
    }

    [Fact]
    public void ActiveAndStandby_PrimaryActive_PrimaryThenBackup()
    {
        var status = new PairStatus("main", PrimaryMember, BackupMember, MemberRole.Primary, true, ImmutableArray<SwitchoverRecord>.Empty);

        Assert.Same(PrimaryMember, status.Active);
        Assert.Same(BackupMember, status.Standby);
    }

    [Fact]
    public void ActiveAndStandby_BackupActive_BackupThenPrimary()
    {
        var status = new PairStatus("main", PrimaryMember, BackupMember, MemberRole.Backup, true, ImmutableArray<SwitchoverRecord>.Empty);

        Assert.Same(BackupMember, status.Active);
        Assert.Same(PrimaryMember, status.Standby);
    }
}
