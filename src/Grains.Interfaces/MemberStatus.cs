namespace OrleansProxy.Grains;

/// <param name="LastProbeStatus">Status code of the last answered probe; 0 before any answer.</param>
[GenerateSerializer, Immutable, Alias("OrleansProxy.MemberStatus")]
public sealed record MemberStatus(
    [property: Id(0)] string Address,
    [property: Id(1)] MemberRole Role,
    [property: Id(2)] MemberHealth Health,
    [property: Id(3)] int ConsecutiveFailures,
    [property: Id(4)] TimeSpan? LastProbeRtt,
    [property: Id(5)] DateTimeOffset? LastProbeAt,
    [property: Id(6)] DateTimeOffset? LastAnsweredAt,
    [property: Id(7)] int LastProbeStatus = 0);
