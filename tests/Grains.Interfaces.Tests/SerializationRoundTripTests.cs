using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace OrleansProxy.Grains.Interfaces.Tests;

/// <summary>
/// Every record that crosses <see cref="IHaPairGrain"/> must survive the Orleans serializer
/// unchanged; a missing or reordered [Id] shows up here, not in production.
/// </summary>
public sealed class SerializationRoundTripTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 30, 15, TimeSpan.FromHours(1));

    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(IHaPairGrain).Assembly))
        .BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void RoundTrip_PairRouteAvailable_Equal()
    {
        var route = new PairRoute("main", "10.0.0.1:5060", MemberRole.Primary, 42);

        Assert.Equal(route, RoundTrip(route));
    }

    [Fact]
    public void RoundTrip_PairRouteUnavailable_KeepsUnavailableSince()
    {
        var route = new PairRoute("main", null, MemberRole.Backup, 43, At);

        var copy = RoundTrip(route);

        Assert.Equal(route, copy);
        Assert.Equal(At, copy.UnavailableSince);
        Assert.Equal(At.Offset, copy.UnavailableSince!.Value.Offset);
    }

    [Fact]
    public void RoundTrip_MemberStatusWithEveryField_Equal()
    {
        var member = new MemberStatus("10.0.0.2:5060", MemberRole.Backup, MemberHealth.NotServing, 3, TimeSpan.FromMilliseconds(2.5), At, At.AddSeconds(-9), 503);

        var copy = RoundTrip(member);

        Assert.Equal(member, copy);
        Assert.Equal(503, copy.LastProbeStatus);
    }

    [Fact]
    public void RoundTrip_MemberStatusNeverProbed_Equal()
    {
        var member = new MemberStatus("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Unknown, 0, null, null, null);

        Assert.Equal(member, RoundTrip(member));
    }

    [Theory]
    [InlineData("10.0.0.1:5060", SwitchoverReason.ActiveDown)]
    [InlineData(null, SwitchoverReason.FirstToRecover)]
    [InlineData("10.0.0.1:5060", SwitchoverReason.TrafficFromStandby)]
    [InlineData("10.0.0.2:5060", SwitchoverReason.Manual)]
    [InlineData("10.0.0.1:5060", SwitchoverReason.ActiveNotServing)]
    public void RoundTrip_SwitchoverRecord_Equal(string? from, SwitchoverReason reason)
    {
        var record = new SwitchoverRecord(At, from, "10.0.0.9:5060", reason, "requested by ops");

        Assert.Equal(record, RoundTrip(record));
    }

    [Fact]
    public void RoundTrip_PairStatusWithHistory_EqualIncludingHistory()
    {
        var status = NewStatus(MemberRole.Backup);

        var copy = RoundTrip(status);

        // ImmutableArray equality is by reference: compare the history element by element.
        Assert.Equal<SwitchoverRecord>(status.History, copy.History);
        Assert.Equal(status, copy with { History = status.History });
    }

    [Fact]
    public void RoundTrip_PairStatusUnavailable_KeepsUnavailableSinceAndProbeStatuses()
    {
        var status = NewStatus(MemberRole.Primary) with { Available = false, UnavailableSince = At.AddSeconds(-2) };

        var copy = RoundTrip(status);

        Assert.False(copy.Available);
        Assert.Equal(At.AddSeconds(-2), copy.UnavailableSince);
        Assert.Equal((0, 200), (copy.Primary.LastProbeStatus, copy.Backup.LastProbeStatus));
        Assert.Equal(status, copy with { History = status.History });
    }

    [Fact]
    public void RoundTrip_PairStatusWithEmptyHistory_Equal()
    {
        var status = NewStatus(MemberRole.Primary) with { History = [] };

        var copy = RoundTrip(status);

        Assert.Empty(copy.History);
        Assert.Equal(status, copy with { History = status.History });
    }

    [Theory]
    [InlineData(MemberHealth.Unknown)]
    [InlineData(MemberHealth.Serving)]
    [InlineData(MemberHealth.Down)]
    [InlineData(MemberHealth.NotServing)]
    public void RoundTrip_MemberHealth_Equal(MemberHealth health) => Assert.Equal(health, RoundTrip(health));

    [Theory]
    [InlineData(SwitchoverReason.ActiveDown)]
    [InlineData(SwitchoverReason.FirstToRecover)]
    [InlineData(SwitchoverReason.TrafficFromStandby)]
    [InlineData(SwitchoverReason.Manual)]
    [InlineData(SwitchoverReason.ActiveNotServing)]
    public void RoundTrip_SwitchoverReason_Equal(SwitchoverReason reason) => Assert.Equal(reason, RoundTrip(reason));

    /// <remarks>
    /// Enums travel as numbers: nodes of one pool run mixed versions during an upgrade, so a renamed member keeps its
    /// number (Up became Serving as 1) and a removed one's number (TransactionFailure, 4) is never reused.
    /// </remarks>
    [Fact]
    public void EnumValues_OnTheWire_NeverRenumbered()
    {
        Assert.Equal(
            [(MemberHealth.Unknown, 0), (MemberHealth.Serving, 1), (MemberHealth.Down, 2), (MemberHealth.NotServing, 3)],
            Enum.GetValues<MemberHealth>().Select(health => (health, (int)health)));
        Assert.Equal(
            [
                (SwitchoverReason.ActiveDown, 0), (SwitchoverReason.FirstToRecover, 1), (SwitchoverReason.TrafficFromStandby, 2),
                (SwitchoverReason.Manual, 3), (SwitchoverReason.ActiveNotServing, 5),
            ],
            Enum.GetValues<SwitchoverReason>().Select(reason => (reason, (int)reason)));
    }

    [Theory]
    [InlineData(MemberRole.Primary)]
    [InlineData(MemberRole.Backup)]
    public void RoundTrip_MemberRole_Equal(MemberRole role) => Assert.Equal(role, RoundTrip(role));

    [Fact]
    public void DeepCopy_Records_SameInstanceBecauseImmutable()
    {
        var route = new PairRoute("main", "10.0.0.1:5060", MemberRole.Primary, 1);
        var status = NewStatus(MemberRole.Primary);

        Assert.Same(route, _services.GetRequiredService<DeepCopier<PairRoute>>().Copy(route));
        Assert.Same(status, _services.GetRequiredService<DeepCopier<PairStatus>>().Copy(status));
    }

    private T RoundTrip<T>(T value)
    {
        var serializer = _services.GetRequiredService<Serializer<T>>();
        return serializer.Deserialize(serializer.SerializeToArray(value))!;
    }

    private static PairStatus NewStatus(MemberRole activeRole) => new(
        "main",
        new MemberStatus("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Down, 4, TimeSpan.FromMilliseconds(1), At, At.AddMinutes(-1)),
        new MemberStatus("10.0.0.2:5060", MemberRole.Backup, MemberHealth.Serving, 0, TimeSpan.FromMilliseconds(3), At, At, 200),
        activeRole,
        Available: true,
        ImmutableArray.Create(
            new SwitchoverRecord(At.AddMinutes(-5), "10.0.0.1:5060", "10.0.0.2:5060", SwitchoverReason.ActiveDown, "primary missed 2 consecutive probes"),
            new SwitchoverRecord(At, null, "10.0.0.2:5060", SwitchoverReason.FirstToRecover, "no member served")));
}
