using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Demo;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>
/// A proxy node of site "berlin" on two listeners (127.0.0.1 and 127.0.0.2) in front of three simulated pairs on two
/// sites, each server on its own loopback address, and an external peer (127.0.0.41) reached by a static route:
/// <list type="bullet">
/// <item>berlin-main (127.0.0.11 / .12), the site's default;</item>
/// <item>berlin-media (127.0.0.21 / .22), by listener 127.0.0.2 and by source network 127.0.0.64/26;</item>
/// <item>hamburg (127.0.0.31 / .32) on the other site, by domain hamburg.example.com and user prefix +4940.</item>
/// </list>
/// Primaries are active, backups silent standbys. Requests name the pool as proxy.example.com.
/// </summary>
internal sealed class MultiSiteNode : IAsyncDisposable
{
    public const string Alias = "proxy.example.com";
    public const string CarrierDomain = "carrier.example.net";
    public const string HamburgDomain = "hamburg.example.com";

    /// <summary>A domain that only DNS knows: SRV _sip._udp names <see cref="SrvCarrier"/>.</summary>
    public const string SrvCarrierDomain = "srv-carrier.example.net";

    private MultiSiteNode(WebApplication app, IPEndPoint sip, IPEndPoint partnerSip, Dictionary<string, (SimulatedSipServer Primary, SimulatedSipServer Backup)> pairs, ScriptedSipPeer carrier, ScriptedSipPeer srvCarrier, LoopbackDnsServer dns)
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

    public IReadOnlyDictionary<string, (SimulatedSipServer Primary, SimulatedSipServer Backup)> Pairs { get; }

    /// <summary>The external peer behind the static route for <see cref="CarrierDomain"/>.</summary>
    public ScriptedSipPeer Carrier { get; }

    /// <summary>The external peer found by SRV for <see cref="SrvCarrierDomain"/> (127.0.0.42).</summary>
    public ScriptedSipPeer SrvCarrier { get; }

    /// <summary>The DNS server the node asks, on loopback.</summary>
    public LoopbackDnsServer Dns { get; }

    public HttpClient Admin { get; }

    public static async Task<MultiSiteNode> StartAsync()
    {
        var pairs = new Dictionary<string, (SimulatedSipServer, SimulatedSipServer)>
        {
            ["berlin-main"] = (Server("berlin-main primary", "127.0.0.11", ServerRole.Active), Server("berlin-main backup", "127.0.0.12", ServerRole.Standby)),
            ["berlin-media"] = (Server("berlin-media primary", "127.0.0.21", ServerRole.Active), Server("berlin-media backup", "127.0.0.22", ServerRole.Standby)),
            ["hamburg"] = (Server("hamburg primary", "127.0.0.31", ServerRole.Active), Server("hamburg backup", "127.0.0.32", ServerRole.Standby)),
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
        ];
        var index = 0;
        foreach (var (name, (primary, backup)) in pairs)
        {
            args.Add($"--Proxy:Pairs:{index}:Name={name}");
            args.Add($"--Proxy:Pairs:{index}:Primary={primary.EndPoint}");
            args.Add($"--Proxy:Pairs:{index}:Backup={backup.EndPoint}");
            args.Add($"--Proxy:Pairs:{index}:Site={(name.StartsWith("berlin", StringComparison.Ordinal) ? "berlin" : "hamburg")}");
            index++;
        }

        var configuration = ConfigurationLoader.Load([.. args], AppContext.BaseDirectory);
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

    /// <summary>Promotes the silent backup, waits until the proxy sees it answer, and switches the pair over through the admin API.</summary>
    public async Task SwitchToBackupAsync(string pair)
    {
        Pairs[pair].Backup.Promote();
        await WaitForPairAsync(pair, status => status.Backup.Health == MemberHealth.Serving, $"the backup of {pair} to answer its probes");
        using var response = await Admin.PostAsync(new Uri($"/api/pairs/{pair}/switchover", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static DemoUserAgent UserAgent(string address, IPEndPoint proxy, string serviceUser = "service") =>
        DemoUserAgent.Bind(
            new IPEndPoint(IPAddress.Parse(address), 0),
            proxy,
            DemoUserAgentOptions.Default with { ServiceUser = serviceUser },
            NullLogger<DemoUserAgent>.Instance,
            TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        Carrier.Dispose();
        SrvCarrier.Dispose();
        Dns.Dispose();
        foreach (var (primary, backup) in Pairs.Values)
        {
            await primary.DisposeAsync();
            await backup.DisposeAsync();
        }
    }

    private static SimulatedSipServer Server(string name, string address, ServerRole role) =>
        SimulatedSipServer.Start(name, new IPEndPoint(IPAddress.Parse(address), 0), role, SimulatedSipServerOptions.Default, NullLogger<SimulatedSipServer>.Instance, TimeProvider.System);
}
