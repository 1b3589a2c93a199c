using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace OrleansProxy.Silo.Diagnostics;

/// <summary>
/// One .NET instrument as one Prometheus metric, named by Prometheus conventions: dots become underscores,
/// a unit of seconds adds <c>_seconds</c>, a counter adds <c>_total</c>. An up-down counter (open connections) is a
/// gauge that adds each measurement; any other instrument that is not a counter or a histogram is a gauge that takes
/// it. The label names are those of the instrument's first measurement, sorted; a later measurement's missing tags
/// export as empty labels. The child of each series is kept by its tag values, so that a measurement of a series seen
/// before allocates nothing (no label array, no text of its values).
/// </summary>
internal sealed class ExportedInstrument(Instrument instrument, IMetricFactory factory)
{
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.000_05, 2, 16);

    private readonly Lock _createLock = new();
    private readonly ConcurrentDictionary<LabelValues, object> _children = new();
    private volatile Created? _created;

    // Series of an observable gauge by their joined labels: those exported so far, and those observed this scrape.
    private readonly Lock _scrapeLock = new();
    private Dictionary<string, string[]> _exported = new(StringComparer.Ordinal);
    private Dictionary<string, string[]>? _observed;

    /// <summary>True for a gauge read at each scrape (a pair's state); its series follow what it observes.</summary>
    public bool IsObserved => instrument.IsObservable;

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

    /// <summary>Called before the observable instruments are read for a scrape.</summary>
    public void BeginScrape()
    {
        lock (_scrapeLock)
        {
            _observed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Called after they were read: a series not observed this time (a pair a configuration reload removed) is taken
    /// off, or it would be exported with its last value for ever and keep alerts firing for a pair that is gone.
    /// </summary>
    public void EndScrape()
    {
        lock (_scrapeLock)
        {
            if (_observed is not { } observed || _created?.Metric is not Gauge gauge)
            {
                return;
            }

            foreach (var (key, labels) in _exported)
            {
                if (!observed.ContainsKey(key))
                {
                    gauge.RemoveLabelled(labels);
                }
            }

            _exported = observed;
            _observed = null;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var created = _created ?? Create(tags);

        // Unlabelled instruments are the per-message ones (requests forwarded): no label array for them.
        if (created.LabelNames.Length == 0)
        {
            Update(created.Metric, created.Accumulates, value);
            return;
        }

        if (!IsObserved && created.LabelNames.Length <= LabelValues.MaxLabels)
        {
            var values = LabelValues.Of(created.LabelNames, tags);
            if (!_children.TryGetValue(values, out var child))
            {
                child = _children.GetOrAdd(values, Child(created.Metric, values.ToLabels(created.LabelNames.Length)));
            }

            Update(child, created.Accumulates, value);
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
                Move(gauge.WithLabels(labels), created.Accumulates, value);
                if (IsObserved)
                {
                    Observed(labels);
                }

                break;
            case Histogram histogram:
                histogram.WithLabels(labels).Observe(value);
                break;
        }
    }

    private void Observed(string[] labels)
    {
        lock (_scrapeLock)
        {
            var key = string.Join('\u001f', labels);
            _observed?.TryAdd(key, labels);
            if (_observed is null)
            {
                // Read outside a scrape (nothing does so today): keep the series, never drop it for that.
                _exported.TryAdd(key, labels);
            }
        }
    }

    private static object Child(Collector metric, string[] labels) => metric switch
    {
        Counter counter => counter.WithLabels(labels),
        Gauge gauge => gauge.WithLabels(labels),
        Histogram histogram => histogram.WithLabels(labels),
        _ => throw new InvalidOperationException($"No child for {metric.GetType()}"),
    };

    /// <param name="metric">An unlabelled metric or a labelled one's child.</param>
    private static void Update(object metric, bool accumulates, double value)
    {
        switch (metric)
        {
            case ICounter counter:
                counter.Inc(value);
                break;
            case IGauge gauge:
                Move(gauge, accumulates, value);
                break;
            case IHistogram histogram:
                histogram.Observe(value);
                break;
        }
    }

    // An up-down counter reports changes (+1 opened, -1 closed), not levels.
    private static void Move(IGauge gauge, bool accumulates, double value)
    {
        if (accumulates)
        {
            gauge.Inc(value);
        }
        else
        {
            gauge.Set(value);
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
            var created = new Created(metric, names, instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>);
            _created = created;
            return created;
        }
    }

    private sealed record Created(Collector Metric, string[] LabelNames, bool Accumulates);
}
