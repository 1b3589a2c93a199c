using OrleansProxy.Grains.Health;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Tests.Health;

public sealed class PairStateTests
{
    private static readonly HaPairSettings Settings = new(
        "main",
        "10.0.0.1:5060",
        "10.0.0.2:5060",
        new ProbeSettings(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)));

    [Fact]
    public void Initial_NewPair_RoutesToPrimaryWithMembersUnknown()
    {
        var state = PairState.Initial(Settings);

        Assert.Equal(new PairRoute("main", "10.0.0.1:5060", MemberRole.Primary, 1), state.ToRoute());
        Assert.Equal(MemberHealth.Unknown, state.Primary.Health);
        Assert.Equal(MemberHealth.Unknown, state.Backup.Health);
        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void ToStatus_BackupActive_ActiveAndStandbySwapped()
    {
        var state = PairState.Initial(Settings) with { ActiveRole = MemberRole.Backup };

        var status = state.ToStatus();

        Assert.Equal("10.0.0.2:5060", status.Active.Address);
        Assert.Equal("10.0.0.1:5060", status.Standby.Address);
        Assert.Equal(state.Active, status.Active);
        Assert.Equal(state.Standby, status.Standby);
    }

    [Fact]
    public void NeedsFastProbing_ActiveDown_True()
    {
        var state = PairState.Initial(Settings);
        state = state.WithMember(state.Primary with { Health = MemberHealth.Down });

        Assert.True(state.NeedsFastProbing);
    }

    [Fact]
    public void ToRoute_Unavailable_NoMemberButLastActiveRole()
    {
        var route = (PairState.Initial(Settings) with { ActiveRole = MemberRole.Backup, Available = false }).ToRoute();

        Assert.False(route.IsAvailable);
        Assert.Null(route.ActiveMember);
        Assert.Equal(MemberRole.Backup, route.ActiveRole);
    }
}
