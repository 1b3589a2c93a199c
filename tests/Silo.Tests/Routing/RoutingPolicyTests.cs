using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;
using static OrleansProxy.Silo.Tests.Routing.RoutingFixtures;

namespace OrleansProxy.Silo.Tests.Routing;

public sealed class RoutingPolicyTests
{
    private readonly RoutingPolicy policy = Policy();

    [Fact]
    public void Decide_UserAgentMatchingNoRule_GoesToTheDefaultPairOfItsSite()
    {
        var choice = policy.Decide(Request("203.0.113.5:5060"));

        var toPair = Assert.IsType<RouteChoice.ToPair>(choice);
        Assert.Equal("main", toPair.Pair);
        Assert.Equal("the default pair of site berlin", toPair.Reason);
    }

    [Fact]
    public void Decide_ListenerRule_WinsOverEveryOtherKind()
    {
        var request = Request("192.168.7.9:5060", user: "+4940123", host: "hamburg.example.com", listener: PartnerListener);

        Assert.Equal("media", PairOf(policy.Decide(request)));
    }

    [Fact]
    public void Decide_DomainRule_MatchesIgnoringCaseAndWinsOverPrefixAndNetwork()
    {
        var request = Request("192.168.0.9:5060", user: "+49301234", host: "HAMBURG.example.com");

        var toPair = Assert.IsType<RouteChoice.ToPair>(policy.Decide(request));
        Assert.Equal("hamburg", toPair.Pair);
        Assert.Equal("rule Proxy:Routing:Rules:4 (Domain hamburg.example.com)", toPair.Reason);
    }

    [Theory]
    [InlineData("+4940123", "hamburg")]
    [InlineData("+49301234", "media")]
    [InlineData("+4830", "main")]
    public void Decide_UserPrefixRules_LongestMatchingPrefixWins(string user, string pair)
    {
        Assert.Equal(pair, PairOf(policy.Decide(Request("203.0.113.5:5060", user: user))));
    }

    [Fact]
    public void Decide_UserPrefixRule_WinsOverSourceNetwork()
    {
        Assert.Equal("hamburg", PairOf(policy.Decide(Request("192.168.0.9:5060", user: "+4940"))));
    }

    [Theory]
    [InlineData("192.168.7.20:5060", "hamburg")]
    [InlineData("192.168.8.20:5060", "media")]
    public void Decide_SourceNetworkRules_MostSpecificNetworkWins(string source, string pair)
    {
        Assert.Equal(pair, PairOf(policy.Decide(Request(source))));
    }

    [Fact]
    public void Decide_NoSiteConfigured_DefaultIsTheFirstPair()
    {
        var withoutSite = Policy(("Proxy:Site", null), ("Proxy:Pairs:0:Site", null), ("Proxy:Pairs:1:Site", null), ("Proxy:Pairs:2:Site", null));

        var toPair = Assert.IsType<RouteChoice.ToPair>(withoutSite.Decide(Request("203.0.113.5:5060")));
        Assert.Equal(("main", "the default pair"), (toPair.Pair, toPair.Reason));
    }

    [Fact]
    public void Decide_SiteWithoutDefaultPairSetting_UsesTheFirstPairOfTheSite()
    {
        var hamburgInstance = Policy(("Proxy:Site", "hamburg"));

        Assert.Equal("hamburg", PairOf(hamburgInstance.Decide(Request("203.0.113.5:5060"))));
    }

    [Fact]
    public void Decide_ConfiguredDefaultPair_WinsOverTheSitesFirstPair()
    {
        Assert.Equal("media", PairOf(Policy(("Proxy:DefaultPair", "media")).Decide(Request("203.0.113.5:5060"))));
    }

    [Fact]
    public void Decide_InDialogRequestNamingAMember_GoesToThatMembersPair()
    {
        var bye = Request("203.0.113.5:5060", target: "10.1.0.1:5060", inDialog: true);

        var toPair = Assert.IsType<RouteChoice.ToPair>(policy.Decide(bye));
        Assert.Equal(("main", "the next hop is a member of pair main"), (toPair.Pair, toPair.Reason));
    }

    [Fact]
    public void Decide_UserAgentNamingAMemberOfAnotherSitesPair_IsForbiddenUnlessARuleNamesThePair()
    {
        var withoutHamburgRules = Policy(
            ("Proxy:Routing:Rules:1:SourceNetwork", "192.168.9.0/24"),
            ("Proxy:Routing:Rules:1:Pair", "media"),
            ("Proxy:Routing:Rules:3:UserPrefix", "+4940"),
            ("Proxy:Routing:Rules:3:Pair", "main"),
            ("Proxy:Routing:Rules:4:Domain", "hamburg.example.com"),
            ("Proxy:Routing:Rules:4:Pair", "main"));
        var bye = Request("203.0.113.5:5060", target: "10.2.0.2:5060", inDialog: true);

        var refused = Assert.IsType<RouteChoice.Refuse>(withoutHamburgRules.Decide(bye));
        Assert.Equal((403, "Forbidden (pair hamburg is not on site berlin)"), (refused.StatusCode, refused.Reason));
        Assert.Equal("hamburg", PairOf(policy.Decide(bye)));
    }

    [Theory]
    [InlineData("198.51.100.7:5060")]
    [InlineData("sip.elsewhere.example.org:5060")]
    public void Decide_UserAgentPointingAnywhereButAPair_IsForbidden(string target)
    {
        var refused = Assert.IsType<RouteChoice.Refuse>(policy.Decide(Request("203.0.113.5:5060", target: target)));

        Assert.Equal(403, refused.StatusCode);
        Assert.Equal($"Forbidden (relaying to {Hop(target).Host} is not allowed)", refused.Reason);
    }

    [Fact]
    public void Decide_UserAgentTargetingARuleDomain_IsRoutedByTheRules()
    {
        var request = Request("203.0.113.5:5060", host: "hamburg.example.com", target: "hamburg.example.com");

        Assert.Equal("hamburg", PairOf(policy.Decide(request)));
    }

    [Fact]
    public void Decide_UserAgentNamingANextHopInTheHeader_IsIgnored()
    {
        var request = Request("203.0.113.5:5060", namedNextHop: "198.51.100.7:5060");

        Assert.Equal("main", PairOf(policy.Decide(request)));
    }

    [Fact]
    public void Decide_UserAgentOutsideTheUserAgentNetworks_IsForbidden()
    {
        var restricted = Policy(("Proxy:Routing:UserAgentNetworks:0", "203.0.113.0/24"));

        var refused = Assert.IsType<RouteChoice.Refuse>(restricted.Decide(Request("198.51.100.7:5060")));
        Assert.Equal((403, "Forbidden (source not allowed)"), (refused.StatusCode, refused.Reason));
        Assert.Equal("main", PairOf(restricted.Decide(Request("203.0.113.9:5060"))));
    }

    [Fact]
    public void Decide_ServerNamingAnAddress_IsForwardedThereOverTheUrisTransport()
    {
        var request = Request("10.1.0.1:5060", target: "198.51.100.7:5070;transport=tcp");

        var toAddress = Assert.IsType<RouteChoice.ToAddress>(policy.Decide(request));
        Assert.Equal(IPEndPoint.Parse("198.51.100.7:5070"), toAddress.EndPoint);
        Assert.Equal(SipTransportKind.Tcp, toAddress.Transport);
    }

    [Fact]
    public void Decide_ServerNamingAMemberOfAnyPair_GoesToThatPair()
    {
        Assert.Equal("hamburg", PairOf(policy.Decide(Request("10.1.0.1:5060", target: "10.2.0.1:5060"))));
    }

    [Fact]
    public void Decide_ServerNamingAStaticRouteDomain_GoesToItsTarget()
    {
        var toAddress = Assert.IsType<RouteChoice.ToAddress>(policy.Decide(Request("10.1.0.1:5060", target: "Carrier.Example.NET")));

        Assert.Equal(IPEndPoint.Parse("10.9.0.1:5061"), toAddress.EndPoint);
        Assert.Equal(SipTransportKind.Tls, toAddress.Transport);
        Assert.Equal("static route Proxy:Routing:StaticRoutes:0 (carrier.example.net)", toAddress.Reason);
    }

    [Fact]
    public void Decide_StaticRouteToAHostName_LocatesThatHostInstead()
    {
        var toLocate = Assert.IsType<RouteChoice.ToLocate>(policy.Decide(Request("10.1.0.1:5060", target: "lab.example.net")));

        Assert.Equal(("gw.example.net", 5080, false), (toLocate.Hop.Host, toLocate.Hop.Port, toLocate.Hop.PortIsDefault));
    }

    [Fact]
    public void Decide_ServerNamingAnUnknownHost_LocatesItByDns()
    {
        var toLocate = Assert.IsType<RouteChoice.ToLocate>(policy.Decide(Request("10.1.0.2:5060", target: "sip.example.org")));

        Assert.Equal("sip.example.org", toLocate.Hop.Host);
        Assert.True(toLocate.Hop.PortIsDefault);
    }

    [Fact]
    public void Decide_ServerNamingNothing_IsNotFound()
    {
        var refused = Assert.IsType<RouteChoice.Refuse>(policy.Decide(Request("10.1.0.1:5060")));

        Assert.Equal((404, "Not Found (a request from a server must name its next hop)"), (refused.StatusCode, refused.Reason));
    }

    [Fact]
    public void Decide_ServerWithANextHopHeader_FollowsItInsteadOfTheRequestUri()
    {
        var request = Request("10.1.0.1:5060", target: "198.51.100.7:5060", namedNextHop: "carrier.example.net");

        Assert.Equal(IPEndPoint.Parse("10.9.0.1:5061"), Assert.IsType<RouteChoice.ToAddress>(policy.Decide(request)).EndPoint);
    }

    [Fact]
    public void Decide_ServerRequestForAPhonesFlow_GoesToTheAddressThePhoneRegisteredFromOverItsTransport()
    {
        var request = Request("10.1.0.1:5060") with { Target = Flow("198.51.100.7:40123", SipTransportKind.Tcp) };

        var toAddress = Assert.IsType<RouteChoice.ToAddress>(policy.Decide(request));
        Assert.Equal((IPEndPoint.Parse("198.51.100.7:40123"), SipTransportKind.Tcp), (toAddress.EndPoint, toAddress.Transport));
    }

    [Theory]
    [InlineData("10.2.0.1:5060")]
    [InlineData("203.0.113.5:5060")]
    public void Decide_RequestForTheFlowOfATcpMember_GoesToItsPair(string source)
    {
        // A TCP member connects from a port of the moment; its pair, not that port, is where the request goes.
        var request = Request(source) with { Target = Flow("10.1.1.1:40999", SipTransportKind.Tcp) };

        Assert.Equal("media", PairOf(policy.Decide(request)));
    }

    [Fact]
    public void Decide_UserAgentRequestForAnotherPhonesFlow_IsRefusedAsRelaying()
    {
        var request = Request("203.0.113.5:5060") with { Target = Flow("198.51.100.7:40123", SipTransportKind.Tcp) };

        var refused = Assert.IsType<RouteChoice.Refuse>(policy.Decide(request));
        Assert.Equal((403, "Forbidden (relaying to 198.51.100.7 is not allowed)"), (refused.StatusCode, refused.Reason));
    }

    [Fact]
    public void Decide_TrustedNetworkSource_IsRoutedLikeAServer()
    {
        var request = Request("172.20.1.1:5060", target: "198.51.100.7:5060");

        Assert.True(policy.IsServer(request.Source));
        Assert.Equal(IPEndPoint.Parse("198.51.100.7:5060"), Assert.IsType<RouteChoice.ToAddress>(policy.Decide(request)).EndPoint);
    }

    [Fact]
    public void Decide_SiteWithoutAnyPair_NotFoundNamingTheSite()
    {
        // The validator refuses such a site; the policy still answers for a table built without it.
        var settings = Settings();
        var table = settings.Routing with { Site = "paris", DefaultPair = null, Rules = [] };
        var sitePolicy = new RoutingPolicy(table, PairDirectory.Resolve(settings.Pairs.ToPairAddresses(), table.Pairs));

        var refused = Assert.IsType<RouteChoice.Refuse>(sitePolicy.Decide(Request("203.0.113.5:5060")));
        Assert.Equal((404, "Not Found (no routing rule matches and site paris has no pair)"), (refused.StatusCode, refused.Reason));
        Assert.Null(sitePolicy.PairServing(IPEndPoint.Parse("203.0.113.5:5060")));
    }

    [Fact]
    public void PairServing_MemberOrUserAgent_ItsOwnPairElseTheSiteDefault()
    {
        Assert.Equal("hamburg", policy.PairServing(IPEndPoint.Parse("10.2.0.2:5060")));
        Assert.Equal("main", policy.PairServing(IPEndPoint.Parse("203.0.113.5:5060")));
    }

    private static string PairOf(RouteChoice choice) => Assert.IsType<RouteChoice.ToPair>(choice).Pair;

    /// <summary>A flow (RFC 5626) a Route of the proxy named: where its peer reached the proxy from.</summary>
    private static NextHop Flow(string endPoint, SipTransportKind transport)
    {
        var remote = IPEndPoint.Parse(endPoint);
        return new NextHop(remote.Address.ToString(), remote.Port, remote.Address, transport) { IsFlow = true };
    }
}
