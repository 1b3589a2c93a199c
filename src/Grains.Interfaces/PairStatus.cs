using System.Collections.Immutable;

namespace OrleansProxy.Grains;

/// <summary>Everything an operator wants to see about one pair.</summary>
/// <param name="UnavailableSince">When the pair last lost its serving member; null while it has one.</param>
[GenerateSerializer, Immutable, Alias("OrleansProxy.PairStatus")]
public sealed record PairStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] MemberStatus Primary,
    [property: Id(2)] MemberStatus Backup,
    [property: Id(3)] MemberRole ActiveRole,
    [property: Id(4)] bool Available,
    [property: Id(5)] ImmutableArray<SwitchoverRecord> History,
    [property: Id(6)] DateTimeOffset? UnavailableSince = null)
{
    public MemberStatus Active => ActiveRole == MemberRole.Primary ? Primary : Backup;

    public MemberStatus Standby => ActiveRole == MemberRole.Primary ? Backup : Primary;
}
