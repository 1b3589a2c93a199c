using OrleansProxy.Silo.Reload;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// A configuration reload as the admin API shows it (POST and GET /api/reload). A wire contract: add fields, never
/// rename or remove them.
/// </summary>
/// <param name="Outcome">"applied", "refused", or "none" before the first reload.</param>
/// <param name="Faults">One line per fault of a refused configuration ("Proxy:Pairs:1:Primary: ...").</param>
/// <param name="RestartRequired">Changed keys that take effect only at a restart; their running values stay.</param>
internal sealed record ReloadDto(
    string Outcome,
    DateTimeOffset? At,
    string? TriggeredBy,
    double? DurationMs,
    IReadOnlyList<string> Faults,
    IReadOnlyList<string> RestartRequired,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> MembersChanged,
    IReadOnlyList<string> ProbeChanged)
{
    public static ReloadDto Create(ReloadResult? result) => result is null
        ? new("none", null, null, null, [], [], [], [], [], [])
        : new(
            OutcomeName(result.Outcome),
            result.At,
            result.TriggeredBy,
            Math.Round(result.Duration.TotalMilliseconds, 1),
            result.Faults,
            result.RestartRequired,
            result.Added,
            result.Removed,
            result.MembersChanged,
            result.ProbeChanged);

    public static string OutcomeName(ReloadOutcome outcome) => outcome == ReloadOutcome.Applied ? "applied" : "refused";
}
