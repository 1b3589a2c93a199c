using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>
/// Two sites, three pairs and one rule of every kind, read through the real configuration path, and requests built
/// the way the proxy core describes them.
/// </summary>
internal static class RoutingFixtures
{
    public static readonly IPEndPoint MainListener = IPEndPoint.Parse("127.0.0.1:5060");
    public static readonly IPEndPoint PartnerListener = IPEndPoint.Parse("127.0.0.2:5060");

    public static (string Key, string? Value)[] TwoSites() =>
    [
        ("Proxy:Listen:0", $"udp://{MainListener}"),
        ("Proxy:Listen:1", $"udp://{PartnerListener}"),
        ("Proxy:Listen:2", $"tcp://{MainListener}"),
        ("Proxy:Aliases:0", "proxy.example.com"),
        ("Proxy:Site", "berlin"),
        ("Proxy:Pairs:0:Name", "main"),
        ("Proxy:Pairs:0:Primary", "10.1.0.1:5060"),
        ("Proxy:Pairs:0:Backup", "10.1.0.2:5060"),
        ("Proxy:Pairs:0:Site", "berlin"),
        ("Proxy:Pairs:1:Name", "media"),
        ("Proxy:Pairs:1:Primary", "tcp://10.1.1.1"),
        ("Proxy:Pairs:1:Backup", "tcp://10.1.1.2"),
        ("Proxy:Pairs:1:Site", "berlin"),
        ("Proxy:Pairs:2:Name", "hamburg"),
        ("Proxy:Pairs:2:Primary", "10.2.0.1:5060"),
        ("Proxy:Pairs:2:Backup", "10.2.0.2:5060"),
        ("Proxy:Pairs:2:Site", "hamburg"),
        ("Proxy:Routing:Rules:0:SourceNetwork", "192.168.0.0/16"),
        ("Proxy:Routing:Rules:0:Pair", "media"),
        ("Proxy:Routing:Rules:1:SourceNetwork", "192.168.7.0/24"),
        ("Proxy:Routing:Rules:1:Pair", "hamburg"),
        ("Proxy:Routing:Rules:2:UserPrefix", "+49"),
        ("Proxy:Routing:Rules:2:Pair", "media"),
        ("Proxy:Routing:Rules:3:UserPrefix", "+4940"),
        ("Proxy:Routing:Rules:3:Pair", "hamburg"),
        ("Proxy:Routing:Rules:4:Domain", "Hamburg.Example.COM"),
        ("Proxy:Routing:Rules:4:Pair", "hamburg"),
        ("Proxy:Routing:Rules:5:Listener", $"udp://{PartnerListener}"),
        ("Proxy:Routing:Rules:5:Pair", "media"),
        ("Proxy:Routing:TrustedNetworks:0", "172.16.0.0/12"),
        ("Proxy:Routing:StaticRoutes:0:Domain", "carrier.example.net"),
        ("Proxy:Routing:StaticRoutes:0:Target", "tls://10.9.0.1"),
        ("Proxy:Routing:StaticRoutes:1:Domain", "lab.example.net"),
        ("Proxy:Routing:StaticRoutes:1:Target", "gw.example.net:5080"),
        ("Proxy:Routing:NextHopHeader", "X-Route-To"),
    ];

    public static ProxySettings Settings(params (string Key, string? Value)[] overrides)
    {
        var configuration = TestConfiguration.FromValues(
            TwoSites().Concat(overrides)
                .GroupBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.Last())
                .Where(e => e.Value is not null)
                .Select(e => KeyValuePair.Create(e.Key, e.Value)));
        Assert.True(configuration.IsValid, string.Join(Environment.NewLine, configuration.Faults));
        return configuration.Settings!;
    }

    public static RoutingPolicy Policy(params (string Key, string? Value)[] overrides)
    {
        var settings = Settings(overrides);
        return new RoutingPolicy(settings.Routing, PairDirectory.Resolve(settings.Pairs.ToPairAddresses(), settings.Routing.Pairs));
    }

    /// <param name="target">The next hop left after the proxy popped its own Routes; null when it names the proxy.</param>
    public static RoutingRequest Request(
        string source,
        string user = "alice",
        string host = "proxy.example.com",
        string? target = null,
        IPEndPoint? listener = null,
        string? namedNextHop = null,
        bool inDialog = false) =>
        new(IPEndPoint.Parse(source), inDialog ? SipMethod.Bye : SipMethod.Invite, inDialog, target is null ? null : Hop(target))
        {
            Listener = new LocalHop(SipTransportKind.Udp, listener ?? MainListener),
            RequestUriUser = user,
            RequestUriHost = host,
            NamedNextHop = namedNextHop is null ? null : Hop(namedNextHop),
        };

    /// <param name="text">host:port, with an optional ";transport=" suffix.</param>
    public static NextHop Hop(string text)
    {
        var transportAt = text.IndexOf(";transport=", StringComparison.Ordinal);
        SipTransportKind? transport = transportAt < 0 ? null : Enum.Parse<SipTransportKind>(text[(transportAt + 11)..], ignoreCase: true);
        var hostPort = transportAt < 0 ? text : text[..transportAt];
        var colon = hostPort.LastIndexOf(':');
        var host = colon < 0 ? hostPort : hostPort[..colon];
        var port = colon < 0 ? 5060 : int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return new NextHop(host, port, IPAddress.TryParse(host, out var address) ? address : null, transport) { PortIsDefault = colon < 0 };
    }
}
