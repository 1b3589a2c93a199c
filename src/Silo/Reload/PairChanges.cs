using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Silo.Reload;

/// <summary>How the configured pairs differ between the running configuration and a new one, by pair name.</summary>
internal sealed record PairChanges(
    ImmutableArray<string> Added,
    ImmutableArray<string> Removed,
    ImmutableArray<string> MembersChanged,
    ImmutableArray<string> ProbeChanged)
{
    /// <summary>Pairs whose grain must take new settings: the same name with other members or other probing.</summary>
    public IEnumerable<string> Changed => MembersChanged.Concat(ProbeChanged);

    public static PairChanges Between(IReadOnlyList<HaPairSettings> running, IReadOnlyList<HaPairSettings> next)
    {
        var before = running.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var after = next.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var added = ImmutableArray.CreateBuilder<string>();
        var members = ImmutableArray.CreateBuilder<string>();
        var probe = ImmutableArray.CreateBuilder<string>();
        foreach (var pair in next)
        {
            if (!before.TryGetValue(pair.Name, out var old))
            {
                added.Add(pair.Name);
            }
            else if (!string.Equals(old.Primary, pair.Primary, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(old.Backup, pair.Backup, StringComparison.OrdinalIgnoreCase))
            {
                members.Add(pair.Name);
            }
            else if (old.Probe != pair.Probe)
            {
                probe.Add(pair.Name);
            }
        }

        return new PairChanges(
            added.ToImmutable(),
            [.. running.Where(p => !after.ContainsKey(p.Name)).Select(p => p.Name)],
            members.ToImmutable(),
            probe.ToImmutable());
    }
}
