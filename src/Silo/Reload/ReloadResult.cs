using System.Collections.Immutable;

namespace OrleansProxy.Silo.Reload;

/// <summary>What one reload did, as the admin API, the CLI, the log and the status page report it.</summary>
/// <param name="TriggeredBy">Who asked: "SIGHUP", "admin API (address)".</param>
/// <param name="Faults">One line per fault of a refused configuration, as start-up reports them.</param>
/// <param name="RestartRequired">Keys that changed but are read only at start-up; their old values stay in force.</param>
/// <param name="Added">Pairs that now exist and are probed.</param>
/// <param name="Removed">Pairs that stopped probing and take no new requests.</param>
/// <param name="MembersChanged">Pairs whose members changed: their health and history started afresh.</param>
/// <param name="ProbeChanged">Pairs probed with new settings: health, active member and history kept.</param>
internal sealed record ReloadResult(
    DateTimeOffset At,
    ReloadOutcome Outcome,
    string TriggeredBy,
    TimeSpan Duration,
    ImmutableArray<string> Faults,
    ImmutableArray<string> RestartRequired,
    ImmutableArray<string> Added,
    ImmutableArray<string> Removed,
    ImmutableArray<string> MembersChanged,
    ImmutableArray<string> ProbeChanged)
{
    public bool Applied => Outcome == ReloadOutcome.Applied;

    public static ReloadResult Refused(DateTimeOffset at, string triggeredBy, TimeSpan duration, IEnumerable<string> faults) =>
        new(at, ReloadOutcome.Refused, triggeredBy, duration, [.. faults], [], [], [], [], []);

    /// <summary>What the reload did to one pair: added, members, probe, unchanged; null for a pair it did not know.</summary>
    public string? ChangeOf(string pair) =>
        !Applied ? null
        : Added.Contains(pair) ? "added"
        : MembersChanged.Contains(pair) ? "members"
        : ProbeChanged.Contains(pair) ? "probe"
        : "unchanged";
}
