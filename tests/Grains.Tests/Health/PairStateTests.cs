using OrleansProxy.Grains.Health;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Tests.Health;

public sealed class PairStateTests
{
    private const string Primary = "10.0.0.1:5060";
    private const string Backup = "10.0.0.2:5060";

    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly HaPairSettings Settings = new(
        "main",
        Primary,
        Backup,
        new ProbeSettings(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)));

    [Fact]
    public void Initial_BeforeAnyProbe_Unavailable()
    {
        var state = PairState.Initial(Settings, T0);

        Assert.False(state.Available);
        Assert.Equal(T0, state.UnavailableSince);
        Assert.Equal(new PairRoute("main", null, MemberRole.Primary, 1, T0), state.ToRoute());
        Assert.True(state.NeedsFastProbing);
        Assert.Empty(state.History);
    }

    [Fact]
    public void Initial_BeforeAnyProbe_MembersUnknownAndNeverProbed()
    {
        var state = PairState.Initial(Settings, T0);

        Assert.Equal(new MemberStatus(Primary, MemberRole.Primary, MemberHealth.Unknown, 0, null, null, null), state.Primary);
        Assert.Equal(new MemberStatus(Backup, MemberRole.Backup, MemberHealth.Unknown, 0, null, null, null), state.Backup);
        Assert.Equal(MemberRole.Primary, state.ActiveRole);
    }

    [Fact]
    public void ToRoute_Available_ActiveAddressAndNoUnavailableSince()
    {
        var state = Serving() with { ActiveRole = MemberRole.Backup, Version = 7 };

        Assert.Equal(new PairRoute("main", Backup, MemberRole.Backup, 7), state.ToRoute());
        Assert.True(state.ToRoute().IsAvailable);
    }

    [Fact]
    public void ToRoute_Unavailable_NoMemberButLastActiveRoleAndSince()
    {
        var route = (Serving() with { ActiveRole = MemberRole.Backup, Available = false, UnavailableSince = T0.AddSeconds(3) }).ToRoute();

        Assert.False(route.IsAvailable);
        Assert.Null(route.ActiveMember);
        Assert.Equal(MemberRole.Backup, route.ActiveRole);
        Assert.Equal(T0.AddSeconds(3), route.UnavailableSince);
    }

    [Fact]
    public void ToStatus_BackupActive_ActiveAndStandbySwapped()
    {
        var state = Serving() with { ActiveRole = MemberRole.Backup };

        var status = state.ToStatus();

        Assert.Equal(Backup, status.Active.Address);
        Assert.Equal(Primary, status.Standby.Address);
        Assert.Equal(state.Active, status.Active);
        Assert.Equal(state.Standby, status.Standby);
        Assert.True(status.Available);
        Assert.Null(status.UnavailableSince);
    }

    [Fact]
    public void ToStatus_Unavailable_CarriesUnavailableSince()
    {
        var status = PairState.Initial(Settings, T0).ToStatus();

        Assert.False(status.Available);
        Assert.Equal(T0, status.UnavailableSince);
    }

    [Theory]
    [InlineData(true, MemberHealth.Serving, false)]
    [InlineData(true, MemberHealth.NotServing, true)]
    [InlineData(true, MemberHealth.Down, true)]
    [InlineData(false, MemberHealth.Serving, true)]
    [InlineData(false, MemberHealth.Down, true)]
    public void NeedsFastProbing_ByAvailabilityAndActiveHealth_FastUnlessActiveServes(bool available, MemberHealth active, bool fast)
    {
        var state = Serving() with { Available = available };
        state = state.WithMember(state.Primary with { Health = active });

        Assert.Equal(fast, state.NeedsFastProbing);
    }

    [Fact]
    public void NeedsFastProbing_OnlyStandbyDown_False()
    {
        var state = Serving();
        state = state.WithMember(state.Backup with { Health = MemberHealth.Down });

        Assert.False(state.NeedsFastProbing);
    }

    [Fact]
    public void WithMember_Backup_ReplacesOnlyTheBackup()
    {
        var state = Serving();
        var backup = state.Backup with { Health = MemberHealth.NotServing, LastProbeStatus = 503 };

        var next = state.WithMember(backup);

        Assert.Same(backup, next.Backup);
        Assert.Same(state.Primary, next.Primary);
        Assert.Same(backup, next.Member(MemberRole.Backup));
    }

    [Theory]
    [InlineData(MemberRole.Primary, MemberRole.Backup)]
    [InlineData(MemberRole.Backup, MemberRole.Primary)]
    public void Other_EitherRole_TheOtherOne(MemberRole role, MemberRole other) => Assert.Equal(other, PairState.Other(role));

    private static PairState Serving()
    {
        var initial = PairState.Initial(Settings, T0);
        return initial with
        {
            Primary = initial.Primary with { Health = MemberHealth.Serving },
            Backup = initial.Backup with { Health = MemberHealth.Serving },
            Available = true,
            UnavailableSince = null,
            Version = 2,
        };
    }
}
