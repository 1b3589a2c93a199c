using System.Diagnostics.Metrics;
using Prometheus;

namespace OrleansProxy.Silo.Diagnostics;

/// <summary>
/// Exports this node's meters (the SIP layer's and <see cref="NodeMetrics"/>, both created by this host's
/// <see cref="IMeterFactory"/>) into a Prometheus registry of their own. prometheus-net's built-in meter adapter
/// is not used: it prefixes the meter name, turns counters into gauges and drops the unit, while operators expect
/// <c>orleansproxy_sip_requests_forwarded_total</c> and <c>..._seconds</c>. Scoping to the factory keeps two nodes
/// in one process (tests) apart. The registry also carries prometheus-net's process and runtime collectors
/// (<c>process_cpu_seconds_total</c>, <c>process_working_set_bytes</c>, <c>dotnet_total_memory_bytes</c>, ...).
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly List<ExportedInstrument> _observed = [];

    public PrometheusExporter(IMeterFactory meterFactory)
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _factory = Metrics.WithCustomRegistry(Registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) &&
                instrument.Meter.Name.StartsWith("OrleansProxy.", StringComparison.Ordinal))
            {
                var exported = new ExportedInstrument(instrument, _factory);
                if (exported.IsObserved)
                {
                    lock (_observed)
                    {
                        _observed.Add(exported);
                    }
                }

                listener.EnableMeasurementEvents(instrument, exported);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.Start();

        // Observable gauges are read when Prometheus scrapes, so each scrape sees the latest snapshot.
        Registry.AddBeforeCollectCallback(Scrape);
    }

    public CollectorRegistry Registry { get; }

    private void Scrape()
    {
        // One scrape at a time: two would each take the other's observations for series gone.
        lock (_observed)
        {
            foreach (var instrument in _observed)
            {
                instrument.BeginScrape();
            }

            _listener.RecordObservableInstruments();
            foreach (var instrument in _observed)
            {
                instrument.EndScrape();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
