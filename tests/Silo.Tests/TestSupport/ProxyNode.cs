using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Sip.Transport;
using Serilog;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A whole proxy node as the executable runs it (silo, pair grain, SIP front-end with real OPTIONS probing,
/// admin API) on loopback ports picked at run time, fronting one pair "main". Probing is fast so that tests
/// see switchovers within a second or two; every wait in the tests is still generous.
/// </summary>
internal sealed class ProxyNode : IAsyncDisposable
{
    public const string Pair = "main";

    /// <summary>
    /// Probing for nodes in front of real, CPU-hungry peers (sipp) on a shared machine: a probe answered 200 ms
    /// late under load is not a dead member, or the backup a call moves to is refused as down.
    /// </summary>
    public static readonly string[] TolerantProbes =
        ["--Proxy:Probe:IntervalMs=500", "--Proxy:Probe:TimeoutMs=400", "--Proxy:Probe:FastIntervalMs=100"];

    private ProxyNode(WebApplication app, IReadOnlyList<ListenEndpoint> listeners, RecentNodeLog log)
    {
        App = app;
        Log = log;
        Listeners = listeners;
        Sip = listeners[0].EndPoint;
        Admin = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    /// <summary>What the node logged at Warning and above, for failure messages.</summary>
    public RecentNodeLog Log { get; }

    /// <summary>Where user agents send requests: the first listener.</summary>
    public IPEndPoint Sip { get; }

    public IReadOnlyList<ListenEndpoint> Listeners { get; }

    public HttpClient Admin { get; }

    public IHaPairGrain PairGrain => App.Services.GetRequiredService<IGrainFactory>().GetGrain<IHaPairGrain>(Pair);

    public static Task<ProxyNode> StartAsync(IPEndPoint primary, IPEndPoint backup, params string[] overrides) =>
        StartAsync(primary.ToString(), backup.ToString(), [$"udp://{FreePort.Udp()}"], overrides);

    /// <param name="primary">The member as configured, e.g. "tcp://127.0.0.1:5070".</param>
    /// <param name="listen">"Proxy:Listen" entries; the first is <see cref="Sip"/>.</param>
    public static async Task<ProxyNode> StartAsync(string primary, string backup, IReadOnlyList<string> listen, params string[] overrides)
    {
        string[] args =
        [
            .. listen.Select((entry, i) => $"--Proxy:Listen:{i}={entry}"),
            $"--Proxy:Pairs:0:Name={Pair}",
            $"--Proxy:Pairs:0:Primary={primary}",
            $"--Proxy:Pairs:0:Backup={backup}",
            .. TestNodeSettings(),
            .. overrides,
        ];
        var configuration = ConfigurationLoader.Load(ConfigurationSources.FromOverrides(args));
        Assert.True(configuration.IsValid, string.Join(Environment.NewLine, configuration.Faults));
        var log = new RecentNodeLog();
        var app = ProxyHost.Build(configuration, services => services.AddSerilog(
            (_, logger) => NodeLogging.Configure(logger, configuration.Configuration, configuration.Settings!.LogFormat).WriteTo.Sink(log),
            preserveStaticLogger: true));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new ProxyNode(app, configuration.Settings!.Listen, log);
    }

    /// <summary>What every test node shares: fast probing, an admin API and a silo on free ports, warnings and up in the log.</summary>
    public static string[] TestNodeSettings() =>
    [
        "--Proxy:Probe:IntervalMs=200",
        "--Proxy:Probe:TimeoutMs=150",
        "--Proxy:Probe:FastIntervalMs=50",
        "--Proxy:Probe:FailuresToDown=2",
        "--Proxy:Admin:Url=http://127.0.0.1:0",
        $"--Proxy:Cluster:SiloPort={FreePort.Tcp()}",
        "--Serilog:MinimumLevel:Default=Warning",
    ];

    public IPEndPoint ListenerOf(SipTransportKind transport, AddressFamily family = AddressFamily.InterNetwork) =>
        Listeners.First(listener => listener.Transport == transport && listener.EndPoint.AddressFamily == family).EndPoint;

    /// <summary>Waits until the pair's status satisfies <paramref name="condition"/>.</summary>
    public Task<PairStatus> WaitForPairAsync(Func<PairStatus, bool> condition, string what) =>
        Eventually.Satisfies(() => PairGrain.GetStatus(), condition, what);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
