using System.Diagnostics.Metrics;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>
/// Records the measurements of one <see cref="SipMetrics"/> (other tests' meters of the same name are ignored),
/// so a test can await "a connection closed for being idle" instead of sleeping.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly MeterListener listener = new();
    private readonly Lock gate = new();
    private readonly List<Measurement> measurements = [];
    private readonly List<(string Instrument, string Tag, string Value, TaskCompletionSource Seen)> waiters = [];

    public MetricsRecorder(SipMetrics metrics)
    {
        var meter = metrics.MessagesDropped.Meter;
        listener.InstrumentPublished = (instrument, subscribing) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                subscribing.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(new Measurement(instrument.Name, value, tags.ToArray())));
        listener.Start();
    }

    /// <summary>The sum of the measurements of <paramref name="instrument"/> carrying tag=value.</summary>
    public long Sum(string instrument, string tag, string value)
    {
        lock (gate)
        {
            return measurements.Where(m => m.Matches(instrument, tag, value)).Sum(m => m.Value);
        }
    }

    /// <summary>The sum of every measurement of <paramref name="instrument"/>, whatever its tags.</summary>
    public long Total(string instrument)
    {
        lock (gate)
        {
            return measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);
        }
    }

    /// <summary>Completes when a measurement of <paramref name="instrument"/> carrying tag=value has been seen; fails after 10 s.</summary>
    public Task WaitForAsync(string instrument, string tag, string value)
    {
        lock (gate)
        {
            if (measurements.Any(m => m.Matches(instrument, tag, value)))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((instrument, tag, value, seen));
            return seen.Task.WaitAsync(Patience);
        }
    }

    public void Dispose() => listener.Dispose();

    private void Record(Measurement measurement)
    {
        lock (gate)
        {
            measurements.Add(measurement);
            foreach (var waiter in waiters.Where(w => measurement.Matches(w.Instrument, w.Tag, w.Value)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }
    }

    private sealed record Measurement(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)
    {
        public bool Matches(string instrument, string tag, string value) =>
            Instrument == instrument && Tags.Any(t => t.Key == tag && Equals(t.Value, value));
    }
}
