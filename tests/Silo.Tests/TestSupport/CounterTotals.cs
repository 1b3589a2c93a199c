using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// Sums one counter's measurements by the value of one tag, for meters of one <see cref="IMeterFactory"/> only,
/// so that tests running in parallel with their own factories do not see each other's counts.
/// </summary>
internal sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    /// <param name="tag">The tag to sum by; measurements without it are summed under "".</param>
    public CounterTotals(IMeterFactory meterFactory, string instrumentName, string? tag = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var key = string.Empty;
            foreach (var measured in tags)
            {
                if (measured.Key == tag)
                {
                    key = measured.Value?.ToString() ?? string.Empty;
                }
            }

            _totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long this[string tagValue] => _totals.GetValueOrDefault(tagValue);

    public long Total => _totals.Values.Sum();

    public void Dispose() => _listener.Dispose();
}
