using System.Diagnostics.Metrics;
using OrleansProxy.Grains;
using OrleansProxy.Routing.Location;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Silo.Diagnostics;

/// <summary>
/// The node's own instruments on the meter <see cref="MeterName"/>: each pair's state as gauges read from the
/// latest status snapshots (<see cref="Publish"/>), switchovers as a counter, and the latency of the grain call
/// that resolves a transaction's target, and the stateful proxy's transaction table (<see cref="ObserveTransactions"/>).
/// Exported next to the SIP layer's meter on /metrics.
/// </summary>
internal sealed class NodeMetrics : ILocationMetrics, IDisposable
{
    public const string MeterName = "OrleansProxy.Silo";

    private static readonly MemberHealth[] HealthStates = [MemberHealth.Serving, MemberHealth.NotServing, MemberHealth.Down, MemberHealth.Unknown];

    private readonly Meter _meter;
    private readonly Counter<long> _switchovers;
    private readonly Histogram<double> _targetResolution;
    private readonly Counter<long> _dnsLookups;
    private readonly Counter<long> _nextHopsGreylisted;
    private readonly Counter<long> _held;
    private readonly Counter<long> _released;
    private readonly Counter<long> _expired;
    private readonly Histogram<double> _holdDuration;
    private readonly Counter<long> _reloads;
    private readonly Dictionary<string, DateTimeOffset> _lastCountedSwitchover = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<PairStatus> _pairs = [];
    private volatile TransactionTable? _transactions;

    public NodeMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("orleansproxy.pair.available", ObserveAvailable,
            description: "1 while the pair's active member serves, else 0 (requests wait in the hold)");
        _meter.CreateObservableGauge("orleansproxy.pair.member.active", ObserveActive,
            description: "1 for the member that receives the pair's traffic, 0 for the standby");
        _meter.CreateObservableGauge("orleansproxy.pair.member.state", ObserveState,
            description: "1 for the member's current health (state label: serving, not_serving, down, unknown), 0 for the others");
        _meter.CreateObservableGauge("orleansproxy.pair.member.probe.rtt", ObserveProbeRtt, unit: "s",
            description: "Round-trip time of the member's last answered OPTIONS probe");
        _meter.CreateObservableGauge("orleansproxy.pair.member.probe.failures", ObserveFailures,
            description: "Consecutive unanswered OPTIONS probes of the member (0 after an answer)");
        _switchovers = _meter.CreateCounter<long>("orleansproxy.pair.switchovers",
            description: "Switchovers of the pair's active member, by reason");
        _targetResolution = _meter.CreateHistogram<double>("orleansproxy.target.resolution.duration", unit: "s",
            description: "Duration of the grain call that resolves a transaction's target, by outcome");
        _dnsLookups = _meter.CreateCounter<long>("orleansproxy.dns.lookups",
            description: "DNS queries sent to locate next hops (cache hits not counted), by outcome");
        _nextHopsGreylisted = _meter.CreateCounter<long>("orleansproxy.nexthop.greylisted",
            description: "Next-hop targets greylisted after a failed transaction");
        _held = _meter.CreateCounter<long>("orleansproxy.pair.requests.held",
            description: "Requests that waited because their pair had no serving member");
        _released = _meter.CreateCounter<long>("orleansproxy.pair.requests.released",
            description: "Held requests that left for a member that serves");
        _expired = _meter.CreateCounter<long>("orleansproxy.pair.requests.expired",
            description: "Requests answered 503 by the hold, by reason: time (waited Proxy:Failover:HoldMs) or full (HoldMaxRequests waited already)");
        _holdDuration = _meter.CreateHistogram<double>("orleansproxy.pair.requests.hold.duration", unit: "s",
            description: "How long a released request waited for a serving member");
        _meter.CreateObservableGauge("orleansproxy.sip.transactions", () => ObserveTable(table => table.ServerCount),
            description: "Live server transactions in the stateful proxy's table (the count Proxy:Transactions:MaxCount bounds; finished ones linger apart)");
        _meter.CreateObservableGauge("orleansproxy.sip.transactions.capacity", () => ObserveTable(table => table.Capacity),
            description: "The transaction table's bound (Proxy:Transactions:MaxCount); past it requests are answered 503");
        _meter.CreateObservableGauge("orleansproxy.sip.transactions.lingering", () => ObserveTable(table => table.LingeringCount),
            description: "Finished transactions, server and client, lingering as tombstones to absorb retransmissions (not counted against Proxy:Transactions:MaxCount)");
        _meter.CreateObservableGauge("orleansproxy.sip.transactions.lingering.bytes", () => ObserveTable(table => table.LingeringBytes),
            description: "What the lingering transactions count against their bound, Proxy:Transactions:MaxLingerBytes");
        _reloads = _meter.CreateCounter<long>("orleansproxy.config.reloads",
            description: "Configuration reloads (SIGHUP, orleans-proxy reload, POST /api/reload), by outcome: applied or refused");
    }

    public void RecordReload(Reload.ReloadOutcome outcome) =>
        _reloads.Add(1, new KeyValuePair<string, object?>("outcome", outcome == Reload.ReloadOutcome.Applied ? "applied" : "refused"));

    /// <summary>
    /// Takes the pairs' latest statuses. Switchovers are counted from the history records newer than the
    /// newest one counted before, so a record is counted once however often it is published.
    /// </summary>
    /// <remarks>Called from one poller only; the gauges read <see cref="_pairs"/> from the exporter's thread.</remarks>
    public void Publish(IReadOnlyList<PairStatus> statuses)
    {
        // Gauges first: a scrape that sees a new switchover then also sees the member it made active.
        _pairs = statuses;
        foreach (var status in statuses)
        {
            var counted = _lastCountedSwitchover.GetValueOrDefault(status.Name, DateTimeOffset.MinValue);
            foreach (var record in status.History)
            {
                if (record.At > counted)
                {
                    _switchovers.Add(1, new("pair", status.Name), new("reason", ReasonLabel(record.Reason)));
                    _lastCountedSwitchover[status.Name] = record.At;
                }
            }
        }
    }

    /// <summary>
    /// Exports the size and bound of the stateful proxy's transaction table. A stateless node has no table and
    /// exports neither gauge.
    /// </summary>
    public void ObserveTransactions(TransactionTable table) => _transactions = table;

    /// <summary>Records one target resolution; call it around the resolver's grain call.</summary>
    /// <param name="outcome">"ok", "timeout" or "error".</param>
    public void RecordTargetResolution(TimeSpan elapsed, string outcome) =>
        _targetResolution.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="outcome">"records", "no_records", "timeout" or "failed".</param>
    public void RecordDnsLookup(string outcome) => _dnsLookups.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordNextHopGreylisted() => _nextHopsGreylisted.Add(1);

    public void RecordHeld(string pair) => _held.Add(1, new KeyValuePair<string, object?>("pair", pair));

    public void RecordHoldReleased(string pair, TimeSpan waited)
    {
        var tag = new KeyValuePair<string, object?>("pair", pair);
        _released.Add(1, tag);
        _holdDuration.Record(waited.TotalSeconds, tag);
    }

    /// <param name="reason">"time" or "full".</param>
    public void RecordHoldExpired(string pair, string reason) =>
        _expired.Add(1, new KeyValuePair<string, object?>("pair", pair), new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveAvailable()
    {
        foreach (var pair in _pairs)
        {
            yield return new(pair.Available ? 1 : 0, new KeyValuePair<string, object?>("pair", pair.Name));
        }
    }

    private IEnumerable<Measurement<int>> ObserveActive()
    {
        foreach (var pair in _pairs)
        {
            foreach (var member in Members(pair))
            {
                yield return new(member.Role == pair.ActiveRole ? 1 : 0, MemberTags(pair, member));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveState()
    {
        foreach (var pair in _pairs)
        {
            foreach (var member in Members(pair))
            {
                foreach (var health in HealthStates)
                {
                    yield return new(
                        member.Health == health ? 1 : 0,
                        [.. MemberTags(pair, member), new("state", HealthLabel(health))]);
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveProbeRtt()
    {
        foreach (var pair in _pairs)
        {
            foreach (var member in Members(pair))
            {
                if (member.LastProbeRtt is { } rtt)
                {
                    yield return new(rtt.TotalSeconds, MemberTags(pair, member));
                }
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveFailures()
    {
        foreach (var pair in _pairs)
        {
            foreach (var member in Members(pair))
            {
                yield return new(member.ConsecutiveFailures, MemberTags(pair, member));
            }
        }
    }

    // Nothing until the stateful core has a table: the stateless node has none to report.
    private IEnumerable<Measurement<T>> ObserveTable<T>(Func<TransactionTable, T> read)
        where T : struct
    {
        if (_transactions is { } table)
        {
            yield return new(read(table));
        }
    }

    private static MemberStatus[] Members(PairStatus pair) => [pair.Primary, pair.Backup];

    private static KeyValuePair<string, object?>[] MemberTags(PairStatus pair, MemberStatus member) =>
    [
        new("pair", pair.Name),
        new("member", member.Address),
        new("role", member.Role == MemberRole.Primary ? "primary" : "backup"),
    ];

    private static string HealthLabel(MemberHealth health) => health switch
    {
        MemberHealth.Serving => "serving",
        MemberHealth.NotServing => "not_serving",
        MemberHealth.Down => "down",
        _ => "unknown",
    };

    private static string ReasonLabel(SwitchoverReason reason) => reason switch
    {
        SwitchoverReason.ActiveDown => "active_down",
        SwitchoverReason.FirstToRecover => "first_to_recover",
        SwitchoverReason.TrafficFromStandby => "traffic_from_standby",
        SwitchoverReason.Manual => "manual",
        SwitchoverReason.ActiveNotServing => "active_not_serving",
        _ => "other",
    };
}
