using OrleansProxy.Routing.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.Admin;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Tests.Deploy;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>deploy/examples/multi-site.json routes the way the README says it does.</summary>
public sealed class MultiSiteExampleTests
{
    private static readonly ProxySettings Settings = Load();

    private static readonly RoutingPolicy Policy = new(Settings.Routing, PairDirectory.Resolve(Settings.Pairs.ToPairAddresses(), Settings.Routing.Pairs));

    [Theory]
    [InlineData("sip:+4940123@sip-proxy.berlin.example.com", "192.168.7.20", null, "hamburg-cc", "rule Proxy:Routing:Rules:2 (UserPrefix +4940)")]
    [InlineData("sip:+4930123@sip-proxy.berlin.example.com", "192.168.7.20", null, "berlin-cc", "the default pair of site berlin")]
    [InlineData("sip:+4930123@10.0.0.11", "192.168.7.20", "udp://10.0.0.11:5060", "berlin-ivr", "rule Proxy:Routing:Rules:0 (Listener udp://10.0.0.11:5060)")]
    [InlineData("sip:agent@hamburg.example.com", "172.20.1.1", null, "hamburg-cc", "rule Proxy:Routing:Rules:1 (Domain hamburg.example.com)")]
    [InlineData("tel:+49-40-123", "192.168.7.20", null, "hamburg-cc", "rule Proxy:Routing:Rules:2 (UserPrefix +4940)")]
    [InlineData("tel:+4930123", "192.168.7.20", null, "berlin-cc", "the default pair of site berlin")]
    [InlineData("sip:agent@sip-proxy.berlin.example.com", "192.168.40.9", null, "hamburg-cc", "rule Proxy:Routing:Rules:4 (SourceNetwork 192.168.40.0/24)")]
    public void Decide_SampleUserAgentRequest_GoesToThePairTheReadmeNames(string requestUri, string source, string? listener, string pair, string reason)
    {
        Assert.True(RouteQuery.TryCreate(requestUri, source, listener, Settings, out var request, out var error), error);

        var toPair = Assert.IsType<RouteChoice.ToPair>(Policy.Decide(request));
        Assert.Equal((pair, reason), (toPair.Pair, toPair.Reason));
    }

    [Theory]
    [InlineData("sip:+4930123@carrier.example.net", "10.1.0.10", "203.0.113.20:5060")]
    [InlineData("sip:+4930123@carrier.example.net", "10.9.0.7", "203.0.113.20:5060")]
    public void Decide_ServerRequestForTheCarrier_TakesTheStaticRoute(string requestUri, string source, string destination)
    {
        Assert.True(RouteQuery.TryCreate(requestUri, source, null, Settings, out var request, out var error), error);

        Assert.Equal(destination, Assert.IsType<RouteChoice.ToAddress>(Policy.Decide(request)).EndPoint.ToString());
    }

    [Fact]
    public void Decide_UserAgentOutsideTheUserAgentNetworks_IsForbidden()
    {
        Assert.True(RouteQuery.TryCreate("sip:+4930123@sip-proxy.berlin.example.com", "198.51.100.1", null, Settings, out var request, out var error), error);

        Assert.Equal(403, Assert.IsType<RouteChoice.Refuse>(Policy.Decide(request)).StatusCode);
    }

    private static ProxySettings Load()
    {
        var configuration = ConfigurationLoader.Load(new([RepositoryFiles.PathOf("deploy", "examples", "multi-site.json")], [], AppContext.BaseDirectory));
        Assert.True(configuration.IsValid, string.Join(Environment.NewLine, configuration.Faults));
        return configuration.Settings;
    }
}
