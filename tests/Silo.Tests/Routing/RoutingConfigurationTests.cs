using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;
using static OrleansProxy.Silo.Tests.Routing.RoutingFixtures;

namespace OrleansProxy.Silo.Tests.Routing;

public sealed class RoutingConfigurationTests
{
    [Fact]
    public void Validate_TwoSites_RulesInPrecedenceOrderWithSitesAndTransports()
    {
        var routing = Settings().Routing;

        Assert.Equal("berlin", routing.Site);
        Assert.Equal("main", routing.DefaultPair);
        Assert.Equal(
            [
                "Proxy:Routing:Rules:5 (Listener udp://127.0.0.2:5060 -> pair media)",
                "Proxy:Routing:Rules:4 (Domain hamburg.example.com -> pair hamburg)",
                "Proxy:Routing:Rules:3 (UserPrefix +4940 -> pair hamburg)",
                "Proxy:Routing:Rules:2 (UserPrefix +49 -> pair media)",
                "Proxy:Routing:Rules:1 (SourceNetwork 192.168.7.0/24 -> pair hamburg)",
                "Proxy:Routing:Rules:0 (SourceNetwork 192.168.0.0/16 -> pair media)",
            ],
            routing.Rules.Select(r => r.ToString()));
        Assert.Equal(
            [new PairPlacement("main", "berlin", SipTransportKind.Udp), new PairPlacement("media", "berlin", SipTransportKind.Tcp), new PairPlacement("hamburg", "hamburg", SipTransportKind.Udp)],
            routing.Pairs.AsEnumerable());
        Assert.Equal([IPNetwork.Parse("172.16.0.0/12")], routing.TrustedNetworks.AsEnumerable());
        Assert.Empty(routing.UserAgentNetworks.AsEnumerable());
        Assert.Equal("X-Route-To", routing.NextHopHeader);
    }

    [Fact]
    public void Validate_MemberWithTransportPrefix_GrainIdentityIsHostPortAndTlsDefaultsTo5061()
    {
        using var certificates = new TestCertificateFiles();
        var configuration = TestConfiguration.With(
            ("Proxy:Pairs:0:Primary", "tls://10.0.0.1"),
            ("Proxy:Pairs:0:Backup", "TLS://10.0.0.2:5071"),
            ("Proxy:Listen:1", "tls://127.0.0.1:5061"),
            ("Proxy:Tls:Certificate", certificates.CertificatePath),
            ("Proxy:Tls:PrivateKey", certificates.PrivateKeyPath));
        var settings = configuration.Settings ?? throw new InvalidOperationException(string.Join("; ", configuration.Lines()));

        Assert.Equal(("10.0.0.1:5061", "10.0.0.2:5071"), (settings.Pairs[0].Primary, settings.Pairs[0].Backup));
        Assert.Equal(SipTransportKind.Tls, Assert.Single(settings.Routing.Pairs).Transport);
        Assert.Null(settings.Routing.Site);
    }

    [Theory]
    [InlineData("tcp://10.0.0.2:5060", "Proxy:Pairs:0:Backup: 'tcp://10.0.0.2:5060' uses tcp but Proxy:Pairs:0:Primary uses udp: both members of a pair use one transport")]
    [InlineData("[::2]:5060", "Proxy:Pairs:0:Backup: '[::2]:5060' is not of the address family of Proxy:Pairs:0:Primary ('10.0.0.1:5060'): both members of a pair use one family")]
    [InlineData("sctp://10.0.0.2", "Proxy:Pairs:0:Backup: 'sctp://10.0.0.2' is not host:port (unknown transport 'sctp' (udp, tcp or tls))")]
    public void Validate_MembersOfOnePairDiffer_OneFaultNamingTheBackup(string backup, string fault)
    {
        var configuration = TestConfiguration.With(("Proxy:Pairs:0:Primary", "10.0.0.1:5060"), ("Proxy:Pairs:0:Backup", backup));

        Assert.Equal([fault], configuration.Lines());
    }

    [Theory]
    [InlineData("Proxy:Routing:Rules:2:Pair", "west", "Proxy:Routing:Rules:2:Pair: 'west' is not a configured pair (configured: main, media, hamburg)")]
    [InlineData("Proxy:Routing:Rules:5:Listener", "udp://127.0.0.9:5060", "Proxy:Routing:Rules:5:Listener: 'udp://127.0.0.9:5060' is not one of Proxy:Listen (udp://127.0.0.1:5060, udp://127.0.0.2:5060, tcp://127.0.0.1:5060)")]
    [InlineData("Proxy:Routing:Rules:0:SourceNetwork", "192.168.0.1/16", "Proxy:Routing:Rules:0:SourceNetwork: '192.168.0.1/16' is not a network address/prefix length, e.g. 10.1.0.0/16 (host bits must be zero)")]
    [InlineData("Proxy:Routing:Rules:4:Domain", "bad domain", "Proxy:Routing:Rules:4:Domain: 'bad domain' is not a domain (not a valid host name)")]
    [InlineData("Proxy:Routing:TrustedNetworks:0", "172.16.0.0", "Proxy:Routing:TrustedNetworks:0: '172.16.0.0' is not a network address/prefix length, e.g. 10.1.0.0/16 (host bits must be zero)")]
    [InlineData("Proxy:Routing:StaticRoutes:0:Target", "ftp://10.9.0.1", "Proxy:Routing:StaticRoutes:0:Target: 'ftp://10.9.0.1' is not [udp|tcp|tls://]host[:port] (unknown transport 'ftp' (udp, tcp or tls))")]
    [InlineData("Proxy:Routing:NextHopHeader", "X Route", "Proxy:Routing:NextHopHeader: 'X Route' is not a header name (letters, digits and -.!%*_+`'~)")]
    [InlineData("Proxy:Site", "paris", "Proxy:Site: 'paris' is not the site of any pair (sites: berlin, hamburg)")]
    [InlineData("Proxy:DefaultPair", "west", "Proxy:DefaultPair: 'west' is not a configured pair (configured: main, media, hamburg)")]
    public void Validate_BadOrDanglingEntry_OneFaultNamingTheExactKey(string key, string value, string fault)
    {
        Assert.Equal([fault], Faults((key, value)));
    }

    [Theory]
    [InlineData("Proxy:Routing:Rules:6:SourceNetwork", "192.168.7.0/24", "Proxy:Routing:Rules:6:SourceNetwork: '192.168.7.0/24' is already the condition of Proxy:Routing:Rules:1")]
    [InlineData("Proxy:Routing:Rules:6:UserPrefix", "+49", "Proxy:Routing:Rules:6:UserPrefix: '+49' is already the condition of Proxy:Routing:Rules:2")]
    [InlineData("Proxy:Routing:Rules:6:Domain", "HAMBURG.example.com", "Proxy:Routing:Rules:6:Domain: 'hamburg.example.com' is already the condition of Proxy:Routing:Rules:4")]
    [InlineData("Proxy:Routing:Rules:6:Listener", "udp://127.0.0.2:5060", "Proxy:Routing:Rules:6:Listener: 'udp://127.0.0.2:5060' is already the condition of Proxy:Routing:Rules:5")]
    public void Validate_OverlappingRule_NamesTheLaterRule(string key, string value, string fault)
    {
        Assert.Equal([fault], Faults((key, value), ("Proxy:Routing:Rules:6:Pair", "main")));
    }

    [Fact]
    public void Validate_RuleWithTwoConditionsOrNone_NamesTheRule()
    {
        var faults = Faults(
            ("Proxy:Routing:Rules:6:Domain", "a.example.com"),
            ("Proxy:Routing:Rules:6:UserPrefix", "+1"),
            ("Proxy:Routing:Rules:6:Pair", "main"),
            ("Proxy:Routing:Rules:7:Pair", "main"));

        Assert.Equal(
            [
                "Proxy:Routing:Rules:6: needs exactly one condition (Listener, Domain, UserPrefix or SourceNetwork); Proxy:Routing:Rules:6:Domain, Proxy:Routing:Rules:6:UserPrefix",
                "Proxy:Routing:Rules:7: needs exactly one condition (Listener, Domain, UserPrefix or SourceNetwork); none is set",
            ],
            faults);
    }

    [Fact]
    public void Validate_StaticRouteDomainTwice_NamesTheSecond()
    {
        var faults = Faults(("Proxy:Routing:StaticRoutes:2:Domain", "Carrier.example.net"), ("Proxy:Routing:StaticRoutes:2:Target", "10.9.0.2"));

        Assert.Equal(["Proxy:Routing:StaticRoutes:2:Domain: 'carrier.example.net' already has a static route (Proxy:Routing:StaticRoutes:0:Domain)"], faults);
    }

    [Fact]
    public void Read_UnknownRoutingKey_NamesIt()
    {
        Assert.Equal(
            ["Proxy:Routing:Rules:0:Network: unknown key (known keys here: Listener, Domain, UserPrefix, SourceNetwork, Pair)"],
            Faults(("Proxy:Routing:Rules:0:Network", "10.0.0.0/8")));
    }

    private static IEnumerable<string> Faults(params (string Key, string? Value)[] overrides) =>
        TestConfiguration.FromValues(
            TwoSites().Concat(overrides)
                .GroupBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => KeyValuePair.Create(g.Key, g.Last().Value)))
            .Lines();
}
