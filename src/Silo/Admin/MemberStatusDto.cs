using OrleansProxy.Grains;

namespace OrleansProxy.Silo.Admin;

/// <param name="Health">serving (answers probes with a serving code), notServing (answers otherwise, e.g. a standby's 503), down or unknown.</param>
/// <param name="LastProbeStatus">Status code of the last answered probe; 0 before any answer.</param>
internal sealed record MemberStatusDto(
    string Address,
    MemberRole Role,
    MemberHealth Health,
    int ConsecutiveFailures,
    double? LastProbeRttMs,
    DateTimeOffset? LastProbeAt,
    DateTimeOffset? LastAnsweredAt,
    int LastProbeStatus)
{
    public static MemberStatusDto Create(MemberStatus member) => new(
        member.Address,
        member.Role,
        member.Health,
        member.ConsecutiveFailures,
        member.LastProbeRtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 3) : null,
        member.LastProbeAt,
        member.LastAnsweredAt,
        member.LastProbeStatus);
}
