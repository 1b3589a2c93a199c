using System.Collections.Concurrent;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>A pair catalog that tests fill as they go; each test adds its own pair.</summary>
public sealed class FakePairCatalog : IHaPairCatalog
{
    private readonly ConcurrentDictionary<string, HaPairSettings> _pairs = new(StringComparer.Ordinal);

    public IReadOnlyList<HaPairSettings> Pairs => [.. _pairs.Values];

    public HaPairSettings? Find(string name) => _pairs.GetValueOrDefault(name);

    /// <summary>Adds the pair, or replaces its settings as a configuration reload would.</summary>
    public void Add(HaPairSettings pair) => _pairs[pair.Name] = pair;

    public void Remove(string name) => _pairs.TryRemove(name, out _);
}
