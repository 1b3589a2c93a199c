using System.Collections.Frozen;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Silo.Configuration;

/// <summary>The pairs of "Proxy:Pairs", looked up by the exact name the pair's grain is keyed by.</summary>
internal sealed class ConfiguredPairCatalog : IHaPairCatalog
{
    private readonly FrozenDictionary<string, HaPairSettings> _byName;

    public ConfiguredPairCatalog(ProxySettings settings)
    {
        Pairs = settings.Pairs;
        _byName = settings.Pairs.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<HaPairSettings> Pairs { get; }

    public HaPairSettings? Find(string name) => _byName.GetValueOrDefault(name);
}
