using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Routing.Location;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Tests.Location;

/// <summary>
/// RFC 3263 location over answers made up here rather than a DNS server: what each kind of answer leads to, and how
/// long the resolver trusts it. The node's DNS client is tested against a loopback DNS server in Silo.Tests.
/// </summary>
public sealed class DnsNextHopLocatorTests
{
    private const string Domain = "example.com.";
    private const string TcpService = "_sip._tcp.example.com.";
    private const string Target = "sip1.example.com.";

    private readonly ScriptedDns _dns = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CountingLocationMetrics _metrics = new();
    private readonly DnsLocatorSettings _settings = new();
    private readonly DnsNextHopLocator _locator;

    public DnsNextHopLocatorTests()
    {
        _locator = new DnsNextHopLocator(_dns, _settings, _time, _metrics, NullLogger<DnsNextHopLocator>.Instance);
    }

    [Fact]
    public async Task Rfc3263_4_1_NaptrNamesSipOverTcp_ItsSrvTargetOverTcpFromTheAdditionalSection()
    {
        _dns.Answer(Domain, DnsQueryType.NAPTR, Records([new DnsRecord.NamingAuthorityPointer(Domain, 300, 10, 10, "S", "SIP+D2T", TcpService)]));
        _dns.Answer(TcpService, DnsQueryType.SRV, Records(
            [new DnsRecord.Service(TcpService, 300, 10, 0, 5070, Target)],
            [new DnsRecord.Address(Target, 300, IPAddress.Parse("192.0.2.7"))]));

        var target = await _locator.LocateAsync(NamedHop(), CancellationToken.None);

        Assert.Equal(new LocatedTarget(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5070), SipTransportKind.Tcp), target);
        Assert.Equal(0, _dns.Asked(Target, DnsQueryType.A));
    }

    [Fact]
    public async Task Rfc3263_4_2_NoNaptrNoSrv_AddressRecordOnPort5060OverUdp()
    {
        _dns.Answer(Domain, DnsQueryType.A, Records([new DnsRecord.Address(Domain, 300, IPAddress.Parse("192.0.2.9"))]));

        var target = await _locator.LocateAsync(NamedHop(), CancellationToken.None);

        Assert.Equal(new LocatedTarget(new IPEndPoint(IPAddress.Parse("192.0.2.9"), 5060), SipTransportKind.Udp), target);
        Assert.Equal(1, _dns.Asked("_sip._udp.example.com.", DnsQueryType.SRV));
        Assert.Equal(1, _dns.Asked(TcpService, DnsQueryType.SRV));
    }

    [Fact]
    public async Task Rfc3263_4_FailedNaptrQuery_NotLocatedAndNotAskedAgainWithinTheNegativeTtl()
    {
        _dns.Answer(Domain, DnsQueryType.NAPTR, DnsResponse.Failed("server failure"));

        Assert.Null(await _locator.LocateAsync(NamedHop(), CancellationToken.None));
        Assert.Null(await _locator.LocateAsync(NamedHop(), CancellationToken.None));

        // No guess past a failed resolver: neither SRV nor A is asked.
        Assert.Equal(1, _dns.Asked(Domain, DnsQueryType.NAPTR));
        Assert.Equal(0, _dns.Asked("_sip._udp.example.com.", DnsQueryType.SRV));
        Assert.Equal(1, _metrics.Lookups("failed"));

        _time.Advance(_settings.NegativeCacheTtl);
        await _locator.LocateAsync(NamedHop(), CancellationToken.None);
        Assert.Equal(2, _dns.Asked(Domain, DnsQueryType.NAPTR));
    }

    [Fact]
    public async Task Rfc3263_4_TimedOutQuery_CountedAsATimeOutNotAsAFailure()
    {
        _dns.Answer(Domain, DnsQueryType.A, DnsResponse.TimedOut);

        Assert.Null(await _locator.LocateAsync(new NextHop("example.com", 5080, null, SipTransportKind.Udp), CancellationToken.None));

        Assert.Equal(1, _metrics.Lookups("timeout"));
        Assert.Equal(0, _metrics.Lookups("failed"));
    }

    [Fact]
    public async Task Rfc3263_4_3_Ttl_AnswerKeptForTheLowestTtlOfItsRecordsThenAskedAgain()
    {
        var hop = new NextHop("example.com", 5080, null, SipTransportKind.Udp);
        _dns.Answer(Domain, DnsQueryType.A, Records([
            new DnsRecord.Address(Domain, 60, IPAddress.Parse("192.0.2.9")),
            new DnsRecord.Address(Domain, 30, IPAddress.Parse("192.0.2.10"))]));

        await _locator.LocateAsync(hop, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(29));
        await _locator.LocateAsync(hop, CancellationToken.None);
        Assert.Equal(1, _dns.Asked(Domain, DnsQueryType.A));

        _time.Advance(TimeSpan.FromSeconds(1));
        await _locator.LocateAsync(hop, CancellationToken.None);
        Assert.Equal(2, _dns.Asked(Domain, DnsQueryType.A));
    }

    private static DnsResponse Records(IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord.Address>? additionals = null) =>
        new(DnsAnswerKind.Records, answers, additionals ?? []);

    private static NextHop NamedHop() => new("example.com", 5060, null, null) { PortIsDefault = true };
}
