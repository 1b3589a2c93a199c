using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansProxy.Grains;
using OrleansProxy.Grains.Probing;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Node.Benchmarks;

/// <summary>
/// One per-transaction target resolution through the pair's grain, on a whole node as orleans-proxy builds it
/// (localhost silo, pair grain, SIP front-end), with probes that always answer. The grain call alone is the baseline;
/// the concurrent case shows what many transactions in flight cost each.
/// </summary>
[MemoryDiagnoser]
public class TargetResolutionBenchmarks
{
    private const string Pair = "main";
    private const int InFlight = 64;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Task<RouteDecision>[] inFlight = new Task<RouteDecision>[InFlight];
    private WebApplication? node;
    private ITargetResolver? resolver;
    private IHaPairGrain? grain;
    private RoutingRequest? fromUserAgent;
    private RoutingRequest? toMember;
    private RoutingRequest? fromServer;

    [GlobalSetup]
    public async Task StartNodeAsync()
    {
        var primary = new IPEndPoint(IPAddress.Loopback, LoopbackPort.FreeUdp());
        var backup = new IPEndPoint(IPAddress.Loopback, LoopbackPort.FreeUdp());
        string[] args =
        [
            $"--Proxy:Listen:0=udp://127.0.0.1:{LoopbackPort.FreeUdp().ToString(CultureInfo.InvariantCulture)}",
            $"--Proxy:Pairs:0:Name={Pair}",
            $"--Proxy:Pairs:0:Primary={primary}",
            $"--Proxy:Pairs:0:Backup={backup}",
            "--Proxy:Admin:Url=http://127.0.0.1:0",
            $"--Proxy:Cluster:SiloPort={LoopbackPort.FreeTcp().ToString(CultureInfo.InvariantCulture)}",
            "--Serilog:MinimumLevel:Default=Warning",
        ];
        var configuration = ConfigurationLoader.Load(ConfigurationSources.FromOverrides(args));
        if (!configuration.IsValid)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, configuration.Faults));
        }

        node = ProxyHost.Build(configuration, services => services.AddSingleton<IMemberProber, AnsweringProber>());
        using var timeout = new CancellationTokenSource(StartTimeout);
        await node.StartAsync(timeout.Token);
        resolver = node.Services.GetRequiredService<ITargetResolver>();
        grain = node.Services.GetRequiredService<IGrainFactory>().GetGrain<IHaPairGrain>(Pair);

        var userAgent = new IPEndPoint(IPAddress.Loopback, 40000);
        fromUserAgent = new RoutingRequest(userAgent, SipMethod.Invite, InDialog: false, Target: null);
        toMember = new RoutingRequest(userAgent, SipMethod.Bye, InDialog: true, new NextHop("127.0.0.1", primary.Port, IPAddress.Loopback));
        fromServer = new RoutingRequest(primary, SipMethod.Invite, InDialog: false, new NextHop("127.0.0.1", 40000, IPAddress.Loopback));

        while ((await resolver.ResolveAsync(fromUserAgent, timeout.Token)).Destination is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    [GlobalCleanup]
    public async Task StopNodeAsync()
    {
        if (node is not null)
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await node.StopAsync(timeout.Token);
            await node.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "grain GetRoute alone")]
    public Task<PairRoute> GrainGetRoute() => grain!.GetRoute();

    [Benchmark(Description = "INVITE from a user agent")]
    public ValueTask<RouteDecision> FromUserAgent() => resolver!.ResolveAsync(fromUserAgent!, CancellationToken.None);

    [Benchmark(Description = "in-dialog request to a pair member")]
    public ValueTask<RouteDecision> InDialogToMember() => resolver!.ResolveAsync(toMember!, CancellationToken.None);

    [Benchmark(Description = "request from the active server")]
    public ValueTask<RouteDecision> FromServer() => resolver!.ResolveAsync(fromServer!, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = InFlight, Description = "INVITE from a user agent, 64 in flight")]
    public async Task FromUserAgentInFlight()
    {
        for (var i = 0; i < InFlight; i++)
        {
            inFlight[i] = resolver!.ResolveAsync(fromUserAgent!, CancellationToken.None).AsTask();
        }

        await Task.WhenAll(inFlight);
    }
}
