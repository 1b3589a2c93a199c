using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// Sums the proxy's own counters that tell how it bridged a takeover (requests held, released, expired, transaction
/// failovers, switchovers), read by name from its meters as any exporter would, so the demo needs no hook into the core.
/// </summary>
internal sealed class ProxyHoldCounters : IDisposable
{
    private static readonly string[] Interesting = ["held", "hold", "released", "expired", "failover", "switchover"];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> totals = new(StringComparer.Ordinal);

    public ProxyHoldCounters()
    {
        listener.InstrumentPublished = (instrument, subscriber) =>
        {
            if (instrument.Meter.Name.StartsWith("OrleansProxy", StringComparison.Ordinal) && IsInteresting(instrument.Name))
            {
                totals.TryAdd(instrument.Name, 0);
                subscriber.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();
    }

    /// <summary>Every matching instrument the proxy published, with its total so far.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Totals => [.. totals.OrderBy(pair => pair.Key, StringComparer.Ordinal)];

    public void Dispose() => listener.Dispose();

    private static bool IsInteresting(string name)
    {
        foreach (var word in Interesting)
        {
            if (name.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
