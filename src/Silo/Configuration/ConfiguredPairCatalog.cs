using System.Collections.Frozen;
using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// The pairs of "Proxy:Pairs", looked up by the exact name the pair's grain is keyed by. A reload replaces the whole
/// snapshot at once, so a reader sees the old pairs or the new ones, never a mix.
/// </summary>
internal sealed class ConfiguredPairCatalog : IHaPairCatalog
{
    private volatile Snapshot _current;

    public ConfiguredPairCatalog(ProxySettings settings)
    {
        _current = new Snapshot(settings.Pairs);
    }

    public IReadOnlyList<HaPairSettings> Pairs => _current.Pairs;

    public HaPairSettings? Find(string name) => _current.ByName.GetValueOrDefault(name);

    public void Replace(ImmutableArray<HaPairSettings> pairs) => _current = new Snapshot(pairs);

    private sealed class Snapshot(ImmutableArray<HaPairSettings> pairs)
    {
        public IReadOnlyList<HaPairSettings> Pairs { get; } = pairs;

        public FrozenDictionary<string, HaPairSettings> ByName { get; } = pairs.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }
}
