using System.Buffers.Text;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// One whole proxied transaction through the stateful proxy, without sockets (issue 14): the request received,
/// its server transaction, 100 Trying, the resolver, the forward rewrite, its client transaction and timers, then
/// the server's answers received and forwarded. Every iteration is a new call: its branch and Call-ID are rewritten
/// in place, so the request buffer itself costs nothing. Finished transactions linger as they would; the lingering
/// bound keeps the table at a steady size, so what is measured is the steady state, evictions included.
/// </summary>
[MemoryDiagnoser]
public class ProxiedTransactionBenchmarks : IDisposable
{
    private const string CallNumber = "0000000000";

    private static readonly LocalHop Hop = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.33"), 5062);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("198.51.100.10"), 5060);

    private readonly AnsweringTransport transport = new(Hop, Server);
    private readonly CallRequest invite = new("INVITE", 1);
    private readonly CallRequest bye = new("BYE", 2);
    private SipMetrics metrics = null!;
    private StatefulProxy proxy = null!;
    private long call;

    [GlobalSetup]
    public void Start()
    {
        metrics = new SipMetrics();
        var identity = new ProxyIdentity([transport], ["sip-proxy.example.com"]);
        // 1 MiB of tombstones, some thousand: the table reaches its steady size within the warm-up, so that its growth is
        // not counted against the measured calls.
        var options = new StatefulProxyOptions { MaxTransactions = 1_000_000, MaxLingerBytes = 1 << 20 };
        proxy = new StatefulProxy(identity, new FixedResolver(Server), options, metrics, TimeProvider.System, NullLoggerFactory.Instance);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        proxy.Stop();
        metrics.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>INVITE in, 100 back, INVITE out; 180 and 200 in and forwarded.</summary>
    [Benchmark]
    public async Task InviteTransaction()
    {
        var number = ++call;
        await proxy.HandleAsync(invite.For(number), Phone, transport, CancellationToken.None);
        await transport.AnswerAsync(proxy, 180, "Ringing");
        await transport.AnswerAsync(proxy, 200, "OK");
    }

    /// <summary>BYE in and out; its 200 in and forwarded.</summary>
    [Benchmark]
    public async Task ByeTransaction()
    {
        var number = ++call;
        await proxy.HandleAsync(bye.For(number), Phone, transport, CancellationToken.None);
        await transport.AnswerAsync(proxy, 200, "OK");
    }

    private sealed class FixedResolver(IPEndPoint destination) : ITargetResolver
    {
        private readonly RouteDecision decision = RouteDecision.Forward(destination);

        public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(decision);

        public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    /// <summary>A request whose branch and Call-ID carry a call number written over fixed-width digits.</summary>
    private sealed class CallRequest
    {
        private readonly byte[] bytes;
        private readonly int branchDigits;
        private readonly int callIdDigits;

        public CallRequest(string method, int cseq)
        {
            var toTag = cseq == 1 ? "" : ";tag=as5b1c2d3e";
            var text = $"{method} sip:+4930123456@pbx.example.com;user=phone SIP/2.0\r\n" +
                $"Via: SIP/2.0/UDP 192.0.2.33:5062;branch=z9hG4bK-{CallNumber}-{cseq};rport\r\n" +
                "Max-Forwards: 70\r\n" +
                "Contact: <sip:alice@192.0.2.33:5062;transport=udp>\r\n" +
                $"To: <sip:+4930123456@pbx.example.com;user=phone>{toTag}\r\n" +
                "From: \"Alice Example\" <sip:alice@pbx.example.com>;tag=8f7e6d5c\r\n" +
                $"Call-ID: call-{CallNumber}@192.0.2.33\r\n" +
                $"CSeq: {cseq} {method}\r\n" +
                "User-Agent: Example Softphone 5.1.2 rv2.10.1\r\n" +
                "Content-Length: 0\r\n" +
                "\r\n";
            bytes = Encoding.ASCII.GetBytes(text);
            branchDigits = text.IndexOf("z9hG4bK-", StringComparison.Ordinal) + "z9hG4bK-".Length;
            callIdDigits = text.IndexOf("call-", StringComparison.Ordinal) + "call-".Length;
        }

        public ReadOnlyMemory<byte> For(long number)
        {
            Write(number, branchDigits);
            Write(number, callIdDigits);
            return bytes;
        }

        private void Write(long number, int at) =>
            Utf8Formatter.TryFormat(number % 10_000_000_000, bytes.AsSpan(at, CallNumber.Length), out _, new System.Buffers.StandardFormat('D', (byte)CallNumber.Length));
    }

    /// <summary>Drops what goes to the phone and keeps the last request forwarded to the server, which the benchmark then answers.</summary>
    private sealed class AnsweringTransport(LocalHop hop, IPEndPoint server) : ISipTransport
    {
        private readonly SipMessage forwarded = new();
        private readonly byte[] lastRequest = new byte[4096];
        private int lastLength;

        public LocalHop Hop { get; } = hop;

        public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
        {
            if (destination.Equals(server) && !message.Span.StartsWith("SIP/2.0"u8))
            {
                message.Span.CopyTo(lastRequest);
                lastLength = message.Length;
            }

            return ValueTask.FromResult(true);
        }

        public async ValueTask AnswerAsync(StatefulProxy proxy, int status, string reason)
        {
            SipParser.TryParse(lastRequest.AsMemory(0, lastLength), forwarded, SipParseLimits.Default);
            using var response = ResponseFactory.Create(forwarded, ProductName.None, status, reason);
            await proxy.HandleAsync(response.Memory, server, this, CancellationToken.None);
        }
    }
}
