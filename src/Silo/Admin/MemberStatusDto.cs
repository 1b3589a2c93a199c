using OrleansProxy.Grains;

namespace OrleansProxy.Silo.Admin;

internal sealed record MemberStatusDto(
    string Address,
    MemberRole Role,
    MemberHealth Health,
    int ConsecutiveFailures,
    double? LastProbeRttMs,
    DateTimeOffset? LastProbeAt,
    DateTimeOffset? LastAnsweredAt)
{
    public static MemberStatusDto Create(MemberStatus member) => new(
        member.Address,
        member.Role,
        member.Health,
        member.ConsecutiveFailures,
        member.LastProbeRtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 3) : null,
        member.LastProbeAt,
        member.LastAnsweredAt);
}
