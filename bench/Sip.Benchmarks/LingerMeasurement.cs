using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// <c>linger [calls]</c>: the heap a finished call leaves behind while its transactions linger (RFC 3261 §17, 32 s over
/// UDP). Each call is an INVITE answered 180 and 200 and a BYE answered 200, through a stateful proxy whose transport
/// answers every forwarded request at once; the heap is measured after a full collection, before any linger ends.
/// </summary>
internal static class LingerMeasurement
{
    private static readonly LocalHop Hop = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.33"), 5062);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("198.51.100.10"), 5060);

    public static void Run(int calls)
    {
        using var metrics = new SipMetrics();
        var transport = new AnsweringTransport(Hop);
        var identity = new ProxyIdentity([transport], ["sip-proxy.example.com"]);
        var options = new StatefulProxyOptions
        {
            MaxTransactions = 10 * calls,
            MaxLingerBytes = int.MaxValue,

            // Timer K (T4, 5 s) would end the BYEs' client transactions during the run: the figures are of everything lingering.
            Timers = TransactionTimers.Default with { T4 = TimeSpan.FromMinutes(1) },
        };
        var proxy = new StatefulProxy(identity, new FixedResolver(Server), options, metrics, TimeProvider.System, NullLoggerFactory.Instance);

        // A first batch warms the pools and the table's own storage, so that the measured batch shows only what each call adds.
        Calls(proxy, transport, 0, calls);
        var before = Heap();
        var (tombstonesBefore, countedBefore) = (proxy.Table.LingeringCount, proxy.Table.LingeringBytes);
        Calls(proxy, transport, calls, calls);
        var after = Heap();
        var (tombstones, counted) = (proxy.Table.LingeringCount - tombstonesBefore, proxy.Table.LingeringBytes - countedBefore);
        var live = proxy.Table.ServerCount + proxy.Table.ClientCount;
        proxy.Stop();

        var retained = after - before;
        var messages = counted - ((long)tombstones * LingeringTransaction.OverheadBytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {calls} calls (INVITE 180 200, BYE 200), all still lingering:
              heap retained         {retained} bytes, {(double)retained / calls:F0} per call, {(double)retained / (2 * calls):F0} per server transaction
              tombstones            {tombstones} ({(double)tombstones / calls:F1} per call), holding {messages} bytes of messages to send again ({(double)messages / calls:F0} per call)
              heap per tombstone    {(double)(retained - messages) / Math.Max(1, tombstones):F0} bytes besides its message
              counted bytes         {counted} ({(double)counted / calls:F0} per call) against Proxy:Transactions:MaxLingerBytes
              live transactions     {live}
            """));
    }

    private static void Calls(StatefulProxy proxy, AnsweringTransport transport, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            Handle(proxy, transport, Request("INVITE", i, 1));
            transport.Answer(proxy, 180, "Ringing");
            transport.Answer(proxy, 200, "OK");
            Handle(proxy, transport, Request("BYE", i, 2));
            transport.Answer(proxy, 200, "OK");
        }
    }

    private static void Handle(StatefulProxy proxy, ISipTransport transport, byte[] request) =>
        proxy.HandleAsync(request, Phone, transport, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static byte[] Request(string method, int call, int cseq)
    {
        var toTag = cseq == 1 ? "" : ";tag=as5b1c2d3e";
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            {method} sip:+4930123456@pbx.example.com;user=phone SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.33:5062;branch=z9hG4bK-{call}-{cseq};rport
            Max-Forwards: 70
            Contact: <sip:alice@192.0.2.33:5062;transport=udp>
            To: <sip:+4930123456@pbx.example.com;user=phone>{toTag}
            From: "Alice Example" <sip:alice@pbx.example.com>;tag=8f7e6d5c
            Call-ID: call-{call}@192.0.2.33
            CSeq: {cseq} {method}
            User-Agent: Example Softphone 5.1.2 rv2.10.1
            Content-Length: 0


            """);
        return Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n"));
    }

    private sealed class FixedResolver(IPEndPoint destination) : ITargetResolver
    {
        private readonly RouteDecision decision = RouteDecision.Forward(destination);

        public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(decision);

        public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    /// <summary>Drops what goes to the phone and keeps the last request forwarded to the server, which the harness then answers.</summary>
    private sealed class AnsweringTransport(LocalHop hop) : ISipTransport
    {
        private readonly SipMessage forwarded = new();
        private byte[] lastRequest = [];

        public LocalHop Hop { get; } = hop;

        public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
        {
            if (destination.Equals(Server) && !message.Span.StartsWith("SIP/2.0"u8))
            {
                lastRequest = message.ToArray();
            }

            return ValueTask.FromResult(true);
        }

        public void Answer(StatefulProxy proxy, int status, string reason)
        {
            SipParser.TryParse(lastRequest, forwarded, SipParseLimits.Default);
            using var response = ResponseFactory.Create(forwarded, ProductName.None, status, reason);
            proxy.HandleAsync(response.Memory.ToArray(), Server, this, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }
}
