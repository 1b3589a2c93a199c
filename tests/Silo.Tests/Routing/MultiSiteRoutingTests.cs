using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;
using static OrleansProxy.Silo.Tests.Routing.MultiSiteNode;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>
/// Routing observed from outside, on real loopback sockets: three simulated pairs on two sites behind one node of
/// site "berlin". These tests never switch a pair, so they share one node.
/// </summary>
public sealed class MultiSiteRoutingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private MultiSiteNode node = null!;

    public async Task InitializeAsync() => node = await StartAsync();

    public async Task DisposeAsync() => await node.DisposeAsync();

    [Fact]
    public async Task UserAgentCalls_ReachThePairTheRulesOrTheSiteDefaultPick()
    {
        (string Address, IPEndPoint Listener, string User, string Pair)[] calls =
        [
            ("127.0.0.1", node.Sip, "service", "berlin-main"),
            ("127.0.0.1", node.PartnerSip, "service", "berlin-media"),
            ("127.0.0.1", node.Sip, "+4940123456", "hamburg"),
            ("127.0.0.70", node.Sip, "service", "berlin-media"),
        ];

        foreach (var (address, listener, user, pair) in calls)
        {
            await using var caller = UserAgent(address, listener, user);
            var call = await caller.PlaceCallAsync(CancellationToken.None);

            Assert.True(call.Succeeded, $"{user} from {address} to {listener}: {call.FailureReason}");
            Assert.Equal(node.Pairs[pair].Primary.EndPoint, call.AnsweredBy);
            Assert.Equal(200, call.ByeStatus);
        }

        Assert.Equal(0, node.Pairs["berlin-main"].Backup.Counts.InvitesReceived);
    }

    [Fact]
    public async Task UserAgentInviteForARuleDomain_ReachesThatPairWithTheAliasInRecordRoute()
    {
        using var agent = new ScriptedSipPeer();
        var invite = RawSip.Request("INVITE", $"sip:bob@{HamburgDomain}", agent, "domain-call");

        var answer = await RawSip.SendAndAwaitFinalAsync(agent, invite, node.Sip);

        Assert.Equal(200, answer.Message.StatusCode);
        Assert.Equal($"sip:{node.Pairs["hamburg"].Primary.EndPoint}", RawSip.UriOf(Assert.Single(answer.HeaderLines("Contact"))));
        Assert.StartsWith($"Record-Route: <sip:{Alias}", Assert.Single(answer.HeaderLines("Record-Route")), StringComparison.Ordinal);
        var ack = RawSip.Request("ACK", RawSip.UriOf(answer.HeaderLines("Contact")[0]), agent, "domain-call", 1, $"Route: <sip:{Alias};lr>", answer.HeaderLines("To")[0]);
        await agent.SendAsync(ack, node.Sip);
        await Eventually.Satisfies(() => Task.FromResult(node.Pairs["hamburg"].Primary.Counts.AcksReceived), acks => acks > 0, "the ACK to reach the hamburg primary");
    }

    [Theory]
    [InlineData("sip:bob@127.0.0.41:5999", null)]
    [InlineData($"sip:bob@{Alias}", "Route: <sip:127.0.0.41:5999;lr>")]
    [InlineData("sip:bob@elsewhere.example.org", null)]
    public async Task UserAgentPointingOutsideThePairs_IsRefusedAsAnOpenRelay(string requestUri, string? route)
    {
        using var agent = new ScriptedSipPeer();
        var invite = RawSip.Request("INVITE", requestUri, agent, $"relay-{Guid.NewGuid():N}", 1, route is null ? [] : [route]);

        var answer = await RawSip.SendAndAwaitFinalAsync(agent, invite, node.Sip);

        Assert.Equal(403, answer.Message.StatusCode);
        Assert.StartsWith("SIP/2.0 403 Forbidden (relaying to ", answer.StartLine, StringComparison.Ordinal);
        Assert.EndsWith(" is not allowed)", answer.StartLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerOutboundInvite_ReachesTheExternalPeerOfTheStaticRoute()
    {
        var server = node.Pairs["berlin-main"].Primary;

        var sending = server.SendRequestAsync("INVITE", node.Sip, $"sip:+4930123@{CarrierDomain}", [], Patience, CancellationToken.None);
        var forwarded = await node.Carrier.ReceiveAsync();

        Assert.Equal($"INVITE sip:+4930123@{CarrierDomain} SIP/2.0", forwarded.StartLine);
        Assert.Equal(2, forwarded.HeaderLines("Via").Count);
        await node.Carrier.SendAsync(RawSip.Answer(forwarded, 200, "OK"), forwarded.Source);
        Assert.Equal(200, await sending);
    }

    [Fact]
    public async Task ServerOutboundInvite_ToADomainOnlyDnsKnows_ReachesThePeerItsSrvRecordNames()
    {
        var server = node.Pairs["hamburg"].Primary;

        var sending = server.SendRequestAsync("INVITE", node.Sip, $"sip:+4989123@{SrvCarrierDomain}", [], Patience, CancellationToken.None);
        var forwarded = await node.SrvCarrier.ReceiveAsync();

        Assert.Equal($"INVITE sip:+4989123@{SrvCarrierDomain} SIP/2.0", forwarded.StartLine);
        await node.SrvCarrier.SendAsync(RawSip.Answer(forwarded, 200, "OK"), forwarded.Source);
        Assert.Equal(200, await sending);
        Assert.True(node.Dns.QueryCount($"_sip._udp.{SrvCarrierDomain}", ARSoft.Tools.Net.Dns.RecordType.Srv) > 0);
    }

    [Fact]
    public async Task ServerNamingTheNextHopInTheHeader_IsSentThereAndTheHeaderIsStripped()
    {
        var server = node.Pairs["berlin-media"].Primary;

        var sending = server.SendRequestAsync("MESSAGE", node.Sip, "sip:agent@elsewhere.invalid", [$"X-Route-To: <sip:{CarrierDomain}>"], Patience, CancellationToken.None);
        var forwarded = await node.Carrier.ReceiveAsync();

        Assert.Equal("MESSAGE sip:agent@elsewhere.invalid SIP/2.0", forwarded.StartLine);
        Assert.Empty(forwarded.HeaderLines("X-Route-To"));
        await node.Carrier.SendAsync(RawSip.Answer(forwarded, 200, "OK"), forwarded.Source);
        Assert.Equal(200, await sending);
    }

    [Fact]
    public async Task SipsTargetFoundInDns_ItsCertificateMustCarryTheDomainTheUriNamed()
    {
        node.Dns.AddSrv("_sips._tcp.tls-carrier.example.org", 60, 10, 100, 5061, "edge.tls-carrier.example.org");
        node.Dns.AddA("edge.tls-carrier.example.org", 60, "127.0.0.44");
        var resolver = node.App.Services.GetRequiredService<GrainTargetResolver>();
        var hop = new OrleansProxy.Sip.Proxy.NextHop("tls-carrier.example.org", 5061, null, SipTransportKind.Tls) { PortIsDefault = true };

        var routing = node.App.Services.GetRequiredService<LiveRouting>().Current;

        var decision = await resolver.CarryOutAsync(routing, new RouteChoice.ToLocate(hop, "test"), waitForServingMember: true, CancellationToken.None);

        var target = new IPEndPoint(IPAddress.Parse("127.0.0.44"), 5061);
        Assert.Equal(target, decision.Destination);
        Assert.Equal("tls-carrier.example.org", node.App.Services.GetRequiredService<TlsServerNames>().For(target));
    }

    [Fact]
    public async Task ServerRequestForAnUnknownHostName_NotFound()
    {
        var status = await node.Pairs["berlin-main"].Primary.SendRequestAsync("MESSAGE", node.Sip, "sip:agent@nowhere.example.org", [], Patience, CancellationToken.None);

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task ServerRequestToALocatedTargetThatNeverAnswers_TheTargetIsGreylisted()
    {
        using var silent = new ScriptedSipPeer(IPAddress.Parse("127.0.0.43"));
        node.Dns.AddSrv("_sip._udp.silent.example.org", 60, 10, 100, (ushort)silent.EndPoint.Port, "edge.silent.example.org");
        node.Dns.AddA("edge.silent.example.org", 60, "127.0.0.43");

        var first = await node.Pairs["berlin-media"].Primary.SendRequestAsync("MESSAGE", node.Sip, "sip:agent@silent.example.org", [], TimeSpan.FromSeconds(12), CancellationToken.None);
        var second = await node.Pairs["berlin-media"].Primary.SendRequestAsync("MESSAGE", node.Sip, "sip:agent@silent.example.org", [], Patience, CancellationToken.None);

        // No 408 to a non-INVITE (RFC 4320 §4.2): the sender hears nothing and its own transaction gives up.
        Assert.Equal(0, first);
        Assert.Equal(404, second);
    }
}
