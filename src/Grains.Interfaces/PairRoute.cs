namespace OrleansProxy.Grains;

/// <summary>
/// The routing snapshot of a pair: the member to send to, or none when neither
/// member answers. <see cref="Version"/> grows with every switchover so callers
/// can cache parsed endpoints per version.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansProxy.PairRoute")]
public sealed record PairRoute(
    [property: Id(0)] string Pair,
    [property: Id(1)] string? ActiveMember,
    [property: Id(2)] MemberRole ActiveRole,
    [property: Id(3)] long Version)
{
    public bool IsAvailable => ActiveMember is not null;
}
