using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Health;

/// <summary>
/// One immutable snapshot of a pair's HA state. <see cref="PairHealthPolicy"/> turns a
/// snapshot plus an observation into the next snapshot; the grain only swaps them.
/// </summary>
/// <param name="ActiveRole">The member that is (or, while unavailable, last was) active.</param>
/// <param name="Available">False while neither member is fit to take traffic.</param>
/// <param name="Version">Grows on every switchover and every availability change.</param>
/// <param name="History">Switchovers, oldest first, bounded by the policy.</param>
/// <param name="TransactionFailures">Failed transactions reported against the active member in the current window.</param>
/// <param name="TransactionFailuresSince">When that window opened; null while no failure is counted.</param>
internal sealed record PairState(
    string Name,
    MemberStatus Primary,
    MemberStatus Backup,
    MemberRole ActiveRole,
    bool Available,
    long Version,
    ImmutableArray<SwitchoverRecord> History,
    int TransactionFailures = 0,
    DateTimeOffset? TransactionFailuresSince = null)
{
    public MemberStatus Active => Member(ActiveRole);

    public MemberStatus Standby => Member(Other(ActiveRole));

    /// <summary>
    /// While the active member is down or nobody answers, every round counts towards
    /// getting traffic flowing again, so rounds come faster.
    /// </summary>
    public bool NeedsFastProbing => !Available || Active.Health == MemberHealth.Down;

    public static PairState Initial(HaPairSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Route to the primary until probes prove otherwise: a proxy that starts must not
        // refuse traffic for a pair it has simply not probed yet.
        return new PairState(
            settings.Name,
            NewMember(settings.Primary, MemberRole.Primary),
            NewMember(settings.Backup, MemberRole.Backup),
            MemberRole.Primary,
            Available: true,
            Version: 1,
            ImmutableArray<SwitchoverRecord>.Empty);
    }

    public MemberStatus Member(MemberRole role) => role == MemberRole.Primary ? Primary : Backup;

    public PairState WithMember(MemberStatus member) =>
        member.Role == MemberRole.Primary ? this with { Primary = member } : this with { Backup = member };

    public PairRoute ToRoute() => new(Name, Available ? Active.Address : null, ActiveRole, Version);

    public PairStatus ToStatus() => new(Name, Primary, Backup, ActiveRole, Available, History);

    public static MemberRole Other(MemberRole role) =>
        role == MemberRole.Primary ? MemberRole.Backup : MemberRole.Primary;

    private static MemberStatus NewMember(string address, MemberRole role) =>
        new(address, role, MemberHealth.Unknown, 0, null, null, null);
}
