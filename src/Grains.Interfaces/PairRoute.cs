namespace OrleansProxy.Grains;

/// <summary>
/// The routing snapshot of a pair: the member to send to, or none while no member serves. <see cref="Version"/>
/// grows with every switchover and availability change so callers can cache parsed endpoints per version.
/// </summary>
/// <param name="UnavailableSince">When the pair stopped having a serving member; null while it has one.</param>
[GenerateSerializer, Immutable, Alias("OrleansProxy.PairRoute")]
public sealed record PairRoute(
    [property: Id(0)] string Pair,
    [property: Id(1)] string? ActiveMember,
    [property: Id(2)] MemberRole ActiveRole,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset? UnavailableSince = null)
{
    public bool IsAvailable => ActiveMember is not null;
}
