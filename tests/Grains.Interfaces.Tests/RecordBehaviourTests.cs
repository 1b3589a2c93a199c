using System.Collections.Immutable;

namespace OrleansProxy.Grains.Interfaces.Tests;

public sealed class RecordBehaviourTests
{
    private static readonly MemberStatus PrimaryMember = new("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Serving, 0, null, null, null);
    private static readonly MemberStatus BackupMember = new("10.0.0.2:5060", MemberRole.Backup, MemberHealth.Unknown, 0, null, null, null);

    [Fact]
    public void IsAvailable_ActiveMemberSet_True()
    {
        Assert.True(new PairRoute("main", "10.0.0.1:5060", MemberRole.Primary, 1).IsAvailable);
    }

    [Fact]
    public void IsAvailable_NoActiveMember_False()
    {
        Assert.False(new PairRoute("main", null, MemberRole.Primary, 2).IsAvailable);
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
