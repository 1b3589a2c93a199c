using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>
/// A proxy node of site "berlin" on two listeners (127.0.0.1 and 127.0.0.2) in front of three simulated pairs on two
/// sites, each server on its own loopback address, and an external peer (127.0.0.41) reached by a static route:
/// <list type="bullet">
/// <item>berlin-main (127.0.0.11 / .12), the site's default;</item>
/// <item>berlin-media (127.0.0.21 / .22), by listener 127.0.0.2 and by source network 127.0.0.64/26;</item>
/// <item>hamburg (127.0.0.31 / .32) on the other site, by domain hamburg.example.com and user prefix +4940.</item>
/// </list>
/// Primaries are active, backups hot standbys that answer 503 until they take over. Requests name the pool as proxy.example.com.
/// </summary>
internal sealed class MultiSiteNode : IAsyncDisposable
{
    public const string Alias = "proxy.example.com";
    public const string CarrierDomain = "carrier.example.net";
    public const string HamburgDomain = "hamburg.example.com";

    /// <summary>A domain that only DNS knows: SRV _sip._udp names <see cref="SrvCarrier"/>.</summary>
    public const string SrvCarrierDomain = "srv-carrier.example.net";

    private MultiSiteNode(WebApplication app, IPEndPoint sip, IPEndPoint partnerSip, Dictionary<string, SimulatedHaPair> pairs, ScriptedSipPeer carrier, ScriptedSipPeer srvCarrier, LoopbackDnsServer dns)
    {
        SrvCarrier = srvCarrier;
        Dns = dns;
        App = app;
        Sip = sip;
        PartnerSip = partnerSip;
        Pairs = pairs;
        Carrier = carrier;
        Admin = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    /// <summary>The main listener, 127.0.0.1.</summary>
    public IPEndPoint Sip { get; }

    /// <summary>The listener a rule sends to berlin-media, 127.0.0.2.</summary>
    public IPEndPoint PartnerSip { get; }

    public IReadOnlyDictionary<string, SimulatedHaPair> Pairs { get; }

    /// <summary>The external peer behind the static route for <see cref="CarrierDomain"/>.</summary>
    public ScriptedSipPeer Carrier { get; }

    /// <summary>The external peer found by SRV for <see cref="SrvCarrierDomain"/> (127.0.0.42).</summary>
    public ScriptedSipPeer SrvCarrier { get; }

    /// <summary>The DNS server the node asks, on loopback.</summary>
    public LoopbackDnsServer Dns { get; }

    public HttpClient Admin { get; }

    public static async Task<MultiSiteNode> StartAsync()
    {
        var pairs = new Dictionary<string, SimulatedHaPair>
        {
            ["berlin-main"] = Pair("127.0.0.11", "127.0.0.12"),
            ["berlin-media"] = Pair("127.0.0.21", "127.0.0.22"),
            ["hamburg"] = Pair("127.0.0.31", "127.0.0.32"),
        };
        var carrier = new ScriptedSipPeer(IPAddress.Parse("127.0.0.41"));
        var srvCarrier = new ScriptedSipPeer(IPAddress.Parse("127.0.0.42"));
        var dns = LoopbackDnsServer.Start();
        dns.AddSrv($"_sip._udp.{SrvCarrierDomain}", 60, 10, 100, (ushort)srvCarrier.EndPoint.Port, $"edge.{SrvCarrierDomain}");
        dns.AddA($"edge.{SrvCarrierDomain}", 60, "127.0.0.42");
        var sip = FreePort.Udp();
        var partnerSip = FreePort.UdpOn(IPAddress.Parse("127.0.0.2"));
        List<string> args =
        [
            $"--Proxy:Listen:0=udp://{sip}",
            $"--Proxy:Listen:1=udp://{partnerSip}",
            $"--Proxy:Aliases:0={Alias}",
            "--Proxy:Site=berlin",
            "--Proxy:Routing:Rules:0:Listener=udp://" + partnerSip,
            "--Proxy:Routing:Rules:0:Pair=berlin-media",
            $"--Proxy:Routing:Rules:1:Domain={HamburgDomain}",
            "--Proxy:Routing:Rules:1:Pair=hamburg",
            "--Proxy:Routing:Rules:2:UserPrefix=+4940",
            "--Proxy:Routing:Rules:2:Pair=hamburg",
            "--Proxy:Routing:Rules:3:SourceNetwork=127.0.0.64/26",
            "--Proxy:Routing:Rules:3:Pair=berlin-media",
            $"--Proxy:Routing:StaticRoutes:0:Domain={CarrierDomain}",
            $"--Proxy:Routing:StaticRoutes:0:Target=udp://{carrier.EndPoint}",
            "--Proxy:Routing:NextHopHeader=X-Route-To",
            $"--Proxy:Routing:Dns:Servers:0={dns.EndPoint}",
            .. ProxyNode.TestNodeSettings(),

            // Timer F of the node (64 x T1) well below the simulated servers' own, so that a server's request to a
            // next hop that never answers has the hop greylisted before the server's own transaction gives up.
            "--Proxy:Transactions:T1Ms=100",
        ];
        var index = 0;
        foreach (var (name, pair) in pairs)
        {
            args.Add($"--Proxy:Pairs:{index}:Name={name}");
            args.Add($"--Proxy:Pairs:{index}:Primary={pair.Primary.EndPoint}");
            args.Add($"--Proxy:Pairs:{index}:Backup={pair.Backup.EndPoint}");
            args.Add($"--Proxy:Pairs:{index}:Site={(name.StartsWith("berlin", StringComparison.Ordinal) ? "berlin" : "hamburg")}");
            index++;
        }

        var configuration = ConfigurationLoader.Load(ConfigurationSources.FromOverrides([.. args]));
        Assert.True(configuration.IsValid, string.Join(Environment.NewLine, configuration.Faults));
        var app = ProxyHost.Build(configuration);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var node = new MultiSiteNode(app, sip, partnerSip, pairs, carrier, srvCarrier, dns);
        foreach (var name in pairs.Keys)
        {
            await node.WaitForPairAsync(name, status => status.Primary.Health == MemberHealth.Serving, $"the primary of {name} to answer its probes");
        }

        return node;
    }

    public IHaPairGrain Grain(string pair) => App.Services.GetRequiredService<IGrainFactory>().GetGrain<IHaPairGrain>(pair);

    public Task<PairStatus> WaitForPairAsync(string pair, Func<PairStatus, bool> condition, string what) =>
        Eventually.Satisfies(() => Grain(pair).GetStatus(), condition, what);

    /// <summary>
    /// The pair switches over by itself (a planned switchover: the backup active, the primary standby), and once the
    /// proxy sees the backup answer, an operator switches the proxy through the admin API, unless its probes already did.
    /// </summary>
    public async Task SwitchToBackupAsync(string pair)
    {
        Pairs[pair].SwitchOver();
        var status = await WaitForPairAsync(pair, status => status.Backup.Health == MemberHealth.Serving, $"the backup of {pair} to answer its probes");
        if (status.ActiveRole != MemberRole.Backup)
        {
            // The probes may switch between the status read and the request: then the request is refused (409, the
            // primary is the standby now and not serving) and the pair is where the operator wanted it.
            using var response = await Admin.PostAsync(new Uri($"/api/pairs/{pair}/switchover", UriKind.Relative), content: null);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Equal(MemberRole.Backup, (await Grain(pair).GetStatus()).ActiveRole);
            }
        }
    }

    public static SimulatedCaller UserAgent(string address, IPEndPoint proxy, string serviceUser = "service") =>
        SimulatedCaller.Bind(new IPEndPoint(IPAddress.Parse(address), 0), proxy, SimulatedCallerOptions.Default with { ServiceUser = serviceUser });

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        Carrier.Dispose();
        SrvCarrier.Dispose();
        Dns.Dispose();
        foreach (var pair in Pairs.Values)
        {
            await pair.DisposeAsync();
        }
    }

    private static SimulatedHaPair Pair(string primary, string backup) => SimulatedHaPair.Start(new SimulatedHaPairOptions
    {
        PrimaryEndPoint = new IPEndPoint(IPAddress.Parse(primary), 0),
        BackupEndPoint = new IPEndPoint(IPAddress.Parse(backup), 0),
        Standby = StandbyBehavior.Refuse503,
    });
}
