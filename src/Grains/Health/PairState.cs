using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Health;

/// <summary>
/// One immutable snapshot of a pair's HA state. <see cref="PairHealthPolicy"/> turns a
/// snapshot plus an observation into the next snapshot; the grain only swaps them.
/// </summary>
/// <param name="ActiveRole">The member that is (or, while unavailable, last was) active.</param>
/// <param name="Available">True while the active member serves; false while requests must wait.</param>
/// <param name="Version">Grows on every switchover and every availability change.</param>
/// <param name="History">Switchovers, oldest first, bounded by the policy.</param>
/// <param name="UnavailableSince">When the pair last lost its serving member; null while available.</param>
internal sealed record PairState(
    string Name,
    MemberStatus Primary,
    MemberStatus Backup,
    MemberRole ActiveRole,
    bool Available,
    long Version,
    ImmutableArray<SwitchoverRecord> History,
    DateTimeOffset? UnavailableSince = null)
{
    public MemberStatus Active => Member(ActiveRole);

    public MemberStatus Standby => Member(Other(ActiveRole));

    /// <summary>While no member serves, or the active one may not, every probe counts towards getting traffic flowing again.</summary>
    public bool NeedsFastProbing => !Available || Active.Health != MemberHealth.Serving;

    /// <summary>
    /// A node that has just started knows nothing: it holds requests until a probe answers, and never assumes that
    /// the configured primary is active (after a switchover the primary is the standby, and may refuse calls).
    /// </summary>
    public static PairState Initial(HaPairSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);

        return new PairState(
            settings.Name,
            NewMember(settings.Primary, MemberRole.Primary),
            NewMember(settings.Backup, MemberRole.Backup),
            MemberRole.Primary,
            Available: false,
            Version: 1,
            ImmutableArray<SwitchoverRecord>.Empty,
            UnavailableSince: now);
    }

    public MemberStatus Member(MemberRole role) => role == MemberRole.Primary ? Primary : Backup;

    public PairState WithMember(MemberStatus member) =>
        member.Role == MemberRole.Primary ? this with { Primary = member } : this with { Backup = member };

    public PairRoute ToRoute() => new(Name, Available ? Active.Address : null, ActiveRole, Version, UnavailableSince);

    public PairStatus ToStatus() => new(Name, Primary, Backup, ActiveRole, Available, History, UnavailableSince);

    public static MemberRole Other(MemberRole role) =>
        role == MemberRole.Primary ? MemberRole.Backup : MemberRole.Primary;

    private static MemberStatus NewMember(string address, MemberRole role) =>
        new(address, role, MemberHealth.Unknown, 0, null, null, null);
}
