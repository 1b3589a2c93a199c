using OrleansProxy.Silo.Reload;

namespace OrleansProxy.Silo.Admin;

/// <summary>The node's latest configuration reload as one pair's entry on /api/pairs shows it.</summary>
/// <param name="Outcome">"applied" or "refused".</param>
/// <param name="Change">What an applied reload did to this pair: "added", "members", "probe" or "unchanged"; null when refused.</param>
internal sealed record PairReloadDto(DateTimeOffset At, string Outcome, string? Change)
{
    public static PairReloadDto? Create(ReloadResult? result, string pair) =>
        result is null ? null : new(result.At, ReloadDto.OutcomeName(result.Outcome), result.ChangeOf(pair));
}
