using System.Diagnostics.Metrics;
using Prometheus;

namespace OrleansProxy.Silo.Diagnostics;

/// <summary>
/// One .NET instrument as one Prometheus metric, named by Prometheus conventions: dots become underscores,
/// a unit of seconds adds <c>_seconds</c>, a counter adds <c>_total</c>. The label names are those of the
/// instrument's first measurement, sorted; a later measurement's missing tags export as empty labels.
/// </summary>
internal sealed class ExportedInstrument(Instrument instrument, IMetricFactory factory)
{
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.000_05, 2, 16);

    private readonly Lock _createLock = new();
    private volatile Created? _created;

    public string PrometheusName { get; } = NameOf(instrument);

    public static string NameOf(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        if (instrument is Counter<long> or Counter<int> or Counter<double> && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var created = _created ?? Create(tags);

        // Unlabelled instruments are the per-message ones (requests forwarded): no label array for them.
        if (created.LabelNames.Length == 0)
        {
            Update(created.Metric, value);
            return;
        }

        var labels = new string[created.LabelNames.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == created.LabelNames[i])
                {
                    labels[i] = tag.Value?.ToString() ?? string.Empty;
                    break;
                }
            }
        }

        switch (created.Metric)
        {
            case Counter counter:
                counter.WithLabels(labels).Inc(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(labels).Set(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(labels).Observe(value);
                break;
        }
    }

    private static void Update(Collector metric, double value)
    {
        switch (metric)
        {
            case Counter counter:
                counter.Inc(value);
                break;
            case Gauge gauge:
                gauge.Set(value);
                break;
            case Histogram histogram:
                histogram.Observe(value);
                break;
        }
    }

    private Created Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
        }

        Array.Sort(names, StringComparer.Ordinal);
        lock (_createLock)
        {
            if (_created is { } raced)
            {
                return raced;
            }

            var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
            Collector metric = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> => factory.CreateCounter(PrometheusName, help, names),
                Histogram<double> or Histogram<long> => factory.CreateHistogram(PrometheusName, help, names,
                    new HistogramConfiguration { Buckets = SecondsBuckets }),
                _ => factory.CreateGauge(PrometheusName, help, names),
            };
            var created = new Created(metric, names);
            _created = created;
            return created;
        }
    }

    private sealed record Created(Collector Metric, string[] LabelNames);
}
