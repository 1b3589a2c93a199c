using System.Collections.Concurrent;
using OrleansProxy.Routing.Location;

namespace OrleansProxy.Routing.Tests.Location;

internal sealed class CountingLocationMetrics : ILocationMetrics
{
    private readonly ConcurrentDictionary<string, int> _lookups = new();

    public int Greylisted { get; private set; }

    public int Lookups(string outcome) => _lookups.GetValueOrDefault(outcome);

    public void RecordDnsLookup(string outcome) => _lookups.AddOrUpdate(outcome, 1, (_, count) => count + 1);

    public void RecordNextHopGreylisted() => Greylisted++;
}
