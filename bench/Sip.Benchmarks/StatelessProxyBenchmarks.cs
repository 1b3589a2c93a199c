using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// The whole stateless path of one datagram: parse, validate (§16.3: Proxy-Require, loop check), Route processing,
/// resolver call, forward rewrite, send to a transport that drops the bytes. Shows what the proxy core adds to
/// <see cref="MessageLayerBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class StatelessProxyBenchmarks : IDisposable
{
    private static readonly LocalHop Hop = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.33"), 5062);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("198.51.100.10"), 5060);

    private readonly DiscardingTransport transport = new(Hop);
    private StatelessProxy proxy = null!;
    private StatelessProxy withoutPath = null!;
    private SipMetrics metrics = null!;

    [GlobalSetup]
    public void Start()
    {
        BenchmarkMessages.CheckWellFormed();
        metrics = new SipMetrics();
        var identity = new ProxyIdentity([transport], ["sip-proxy.example.com"]);
        proxy = new StatelessProxy(identity, new FixedResolver(Server), new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
        withoutPath = new StatelessProxy(identity, new FixedResolver(Server), new ProxyCoreOptions { Path = false }, metrics, NullLogger<StatelessProxy>.Instance);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        metrics.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public ValueTask Invite() => proxy.HandleAsync(BenchmarkMessages.Invite, Phone, transport, CancellationToken.None);

    [Benchmark]
    public ValueTask OkWithSdp() => proxy.HandleAsync(BenchmarkMessages.OkWithSdp, Server, transport, CancellationToken.None);

    /// <summary>With its Path and flow token (RFC 3327, RFC 5626), as the proxy forwards a REGISTER by default.</summary>
    [Benchmark]
    public ValueTask Register() => proxy.HandleAsync(BenchmarkMessages.Register, Phone, transport, CancellationToken.None);

    [Benchmark]
    public ValueTask RegisterWithoutPath() => withoutPath.HandleAsync(BenchmarkMessages.Register, Phone, transport, CancellationToken.None);

    private sealed class FixedResolver(IPEndPoint destination) : ITargetResolver
    {
        private readonly RouteDecision decision = RouteDecision.Forward(destination);

        public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(decision);

        public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    private sealed class DiscardingTransport(LocalHop hop) : ISipTransport
    {
        public LocalHop Hop { get; } = hop;

        public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
