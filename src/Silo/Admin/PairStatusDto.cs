using OrleansProxy.Grains;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// One pair as the admin API shows it. This is a wire contract for scripts and dashboards:
/// add fields, never rename or remove them.
/// </summary>
/// <param name="ActiveMember">The member that receives traffic, or would once it answers again.</param>
/// <param name="Site">The pair's site (Proxy:Pairs:N:Site); null when none is configured.</param>
/// <param name="UnavailableSince">Since when no member serves (requests wait); null while the active member serves.</param>
internal sealed record PairStatusDto(
    string Name,
    bool Available,
    string ActiveMember,
    MemberRole ActiveRole,
    IReadOnlyList<MemberStatusDto> Members,
    IReadOnlyList<SwitchoverDto> History,
    string? Site,
    DateTimeOffset? UnavailableSince)
{
    /// <summary>The node's latest configuration reload and what it did to this pair; left out before the first.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PairReloadDto? LastReload { get; init; }

    public static PairStatusDto Create(PairStatus status, string? site) => new(
        status.Name,
        status.Available,
        status.Active.Address,
        status.ActiveRole,
        [MemberStatusDto.Create(status.Primary), MemberStatusDto.Create(status.Backup)],
        [.. status.History.Select(SwitchoverDto.Create)],
        site,
        status.UnavailableSince);
}
