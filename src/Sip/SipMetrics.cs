using System.Diagnostics.Metrics;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip;

/// <summary>
/// Counters of the SIP layer on a <see cref="Meter"/> named <see cref="MeterName"/>, so any exporter
/// (OpenTelemetry, prometheus-net) or a test's MeterListener can read them. Every drop is counted here.
/// </summary>
public sealed class SipMetrics : IDisposable
{
    public const string MeterName = "OrleansProxy.Sip";

    private readonly Meter meter;

    public SipMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        RequestsForwarded = meter.CreateCounter<long>("orleansproxy.sip.requests.forwarded", description: "Requests forwarded to a next hop");
        ResponsesForwarded = meter.CreateCounter<long>("orleansproxy.sip.responses.forwarded", description: "Responses forwarded back along Via");
        RequestsAnswered = meter.CreateCounter<long>("orleansproxy.sip.requests.answered", description: "Requests the proxy answered itself, by status code");
        MessagesDropped = meter.CreateCounter<long>("orleansproxy.sip.messages.dropped", description: "Messages dropped, by reason");
        ParseErrors = meter.CreateCounter<long>("orleansproxy.sip.parse.errors", description: "Malformed messages, by fault");
        OverloadDropped = meter.CreateCounter<long>("orleansproxy.sip.overload.dropped", description: "Messages refused by overload control, by reason: source_rate (a source over its rate, dropped unanswered), invite_rate (a new INVITE over the cap, answered 503), queue_delay (a new INVITE while the receive queue stands, answered 503)");
        TransactionsRejected = meter.CreateCounter<long>("orleansproxy.sip.transactions.rejected", description: "Requests answered 503 because the transaction table was full");
        TransactionsLingeringEvicted = meter.CreateCounter<long>("orleansproxy.sip.transactions.lingering.evicted", description: "Finished transactions dropped before their linger time ended, to stay within the bound on lingering bytes: a late retransmission is then handled as a new request");
        InvitesForgotten = meter.CreateCounter<long>("orleansproxy.sip.stateless.invites.forgotten", description: "INVITEs whose next hop the stateless proxy forgot before their time, its memory full: their CANCEL or ACK is routed afresh");
        TransactionFailovers = meter.CreateCounter<long>("orleansproxy.sip.transactions.failovers", description: "Transactions retried on the other member, by failure");
        ConnectionsOpened = meter.CreateCounter<long>("orleansproxy.sip.connections.opened", description: "TCP and TLS connections opened, by transport and direction");
        ConnectionsClosed = meter.CreateCounter<long>("orleansproxy.sip.connections.closed", description: "TCP and TLS connections closed, by transport and reason");
        ConnectionsRefused = meter.CreateCounter<long>("orleansproxy.sip.connections.refused", description: "Connections refused by a limit, by transport and limit");
        OpenConnections = meter.CreateUpDownCounter<long>("orleansproxy.sip.connections.open", description: "TCP and TLS connections open now, handshakes included, by transport");
        CaptureSent = meter.CreateCounter<long>("orleansproxy.capture.sent", description: "SIP messages sent to the HEP collector");
        CaptureDropped = meter.CreateCounter<long>("orleansproxy.capture.dropped", description: "SIP messages not captured, by reason (queue_full, too_large, send_failed, stopped)");
    }

    public Counter<long> RequestsForwarded { get; }

    public Counter<long> ResponsesForwarded { get; }

    public Counter<long> RequestsAnswered { get; }

    public Counter<long> MessagesDropped { get; }

    public Counter<long> ParseErrors { get; }

    public Counter<long> TransactionsRejected { get; }

    public Counter<long> OverloadDropped { get; }

    public Counter<long> TransactionFailovers { get; }

    public Counter<long> TransactionsLingeringEvicted { get; }

    public Counter<long> InvitesForgotten { get; }

    public Counter<long> ConnectionsOpened { get; }

    public Counter<long> ConnectionsClosed { get; }

    public Counter<long> ConnectionsRefused { get; }

    public UpDownCounter<long> OpenConnections { get; }

    public Counter<long> CaptureSent { get; }

    public Counter<long> CaptureDropped { get; }

    /// <summary>Publishes the node's receive queue delay as a gauge, in seconds.</summary>
    public void Observe(ReceiveQueueDelay queueDelay) =>
        meter.CreateObservableGauge("orleansproxy.sip.receive.queue.delay", () => queueDelay.Current.TotalSeconds, unit: "s", description: "How long datagrams stood in the kernel's UDP receive queue: the least wait of the last 100 ms");

    public void Dispose() => meter.Dispose();
}
