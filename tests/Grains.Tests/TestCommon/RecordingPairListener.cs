using System.Collections.Concurrent;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>Remembers, per pair and in order, what the grains told the host; shared by every grain of the test silo.</summary>
public sealed class RecordingPairListener : IPairListener
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PairRoute>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lost = new(StringComparer.Ordinal);

    /// <summary>Every route <paramref name="pair"/> changed to, oldest first.</summary>
    public IReadOnlyList<PairRoute> RoutesOf(string pair) => [.. _routes.GetOrAdd(pair, static _ => new())];

    /// <summary>Every member of <paramref name="pair"/> the host was told it lost, oldest first.</summary>
    public IReadOnlyList<string> LostOf(string pair) => [.. _lost.GetOrAdd(pair, static _ => new())];

    public void OnRouteChanged(PairRoute route) => _routes.GetOrAdd(route.Pair, static _ => new()).Enqueue(route);

    public void OnMemberLost(string pair, string member) => _lost.GetOrAdd(pair, static _ => new()).Enqueue(member);
}
