namespace OrleansProxy.Grains;

[GenerateSerializer, Immutable, Alias("OrleansProxy.MemberStatus")]
public sealed record MemberStatus(
    [property: Id(0)] string Address,
    [property: Id(1)] MemberRole Role,
    [property: Id(2)] MemberHealth Health,
    [property: Id(3)] int ConsecutiveFailures,
    [property: Id(4)] TimeSpan? LastProbeRtt,
    [property: Id(5)] DateTimeOffset? LastProbeAt,
    [property: Id(6)] DateTimeOffset? LastAnsweredAt);
