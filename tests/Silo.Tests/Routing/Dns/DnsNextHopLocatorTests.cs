using System.Diagnostics.Metrics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Routing.Location;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Routing.Dns;

public sealed class DnsNextHopLocatorTests : IDisposable
{
    private const string Domain = "example.test";
    private const string UdpService = "_sip._udp.example.test";
    private const string TcpService = "_sip._tcp.example.test";
    private const string TlsService = "_sips._tcp.example.test";
    private const int Ttl = 300;

    // Generous: a loaded CI machine must never turn a lookup into a time-out.
    private static readonly TimeSpan CallerTimeout = TimeSpan.FromSeconds(30);

    private readonly LoopbackDnsServer _dns = LoopbackDnsServer.Start();
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _metricServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly NodeMetrics _metrics;
    private readonly DnsLocatorSettings _settings;
    private readonly DnsNextHopLocator _locator;

    public DnsNextHopLocatorTests()
    {
        _metrics = new NodeMetrics(MeterFactory);
        _settings = new DnsLocatorSettings { Servers = [_dns.EndPoint], Timeout = TimeSpan.FromSeconds(5) };
        _locator = Locator(_settings);
    }

    // The node's own DNS client against the loopback server, counting into the node's metrics.
    private DnsNextHopLocator Locator(DnsLocatorSettings settings) =>
        new(new DnsClientQuery(settings), settings, _time, _metrics, NullLogger<DnsNextHopLocator>.Instance);

    private IMeterFactory MeterFactory => _metricServices.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        _dns.Dispose();
        _metrics.Dispose();
        _metricServices.Dispose();
    }

    [Fact]
    public async Task Locate_SrvPriorities_LowestPriorityTargetOnItsSrvPort()
    {
        _dns.AddSrv(UdpService, Ttl, priority: 20, weight: 100, port: 5080, target: "backup.example.test");
        _dns.AddSrv(UdpService, Ttl, priority: 10, weight: 1, port: 5070, target: "primary.example.test");
        _dns.AddA("primary.example.test", Ttl, "192.0.2.10");
        _dns.AddA("backup.example.test", Ttl, "192.0.2.20");

        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.10", 5070), SipTransportKind.Udp), target);
    }

    [Fact]
    public async Task Locate_OnePriorityUnequalWeights_HeavierTargetChosenMoreOftenAndLighterSometimes()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, priority: 10, weight: 90, port: 5060, target: "heavy.example.test");
        _dns.AddSrv(UdpService, Ttl, priority: 10, weight: 10, port: 5060, target: "light.example.test");
        _dns.AddA("heavy.example.test", Ttl, "192.0.2.1");
        _dns.AddA("light.example.test", Ttl, "192.0.2.2");
        var heavy = 0;
        var light = 0;

        for (var lookup = 0; lookup < 400; lookup++)
        {
            var target = await Locate(NamedHop());
            heavy += target?.EndPoint.Address.Equals(IPAddress.Parse("192.0.2.1")) == true ? 1 : 0;
            light += target?.EndPoint.Address.Equals(IPAddress.Parse("192.0.2.2")) == true ? 1 : 0;
        }

        // Expected about 360 / 40; either side failing by chance is below one in a billion.
        Assert.Equal(400, heavy + light);
        Assert.InRange(heavy, 250, 399);
        Assert.InRange(light, 1, 150);
    }

    [Theory]
    [InlineData(SipTransportKind.Udp, 5071)]
    [InlineData(SipTransportKind.Tcp, 5072)]
    [InlineData(SipTransportKind.Tls, 5073)]
    public async Task Locate_ExplicitTransport_AsksThatTransportsSrvOnly(SipTransportKind transport, int expectedPort)
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5071, "sip.example.test");
        _dns.AddSrv(TcpService, Ttl, 10, 10, 5072, "sip.example.test");
        _dns.AddSrv(TlsService, Ttl, 10, 10, 5073, "sip.example.test");
        _dns.AddA("sip.example.test", Ttl, "192.0.2.5");

        var target = await Locate(NamedHop(transport));

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.5", expectedPort), transport), target);
        var queried = new[] { UdpService, TcpService, TlsService }.Where(name => _dns.QueryCount(name, RecordType.Srv) > 0);
        Assert.Equal([transport switch { SipTransportKind.Udp => UdpService, SipTransportKind.Tcp => TcpService, _ => TlsService }], queried);
    }

    [Fact]
    public async Task Locate_NoTransportOnlyTcpSrv_UdpAskedFirstThenTcpChosen()
    {
        _dns.AddSrv(TcpService, Ttl, 10, 10, 5090, "sip.example.test");
        _dns.AddA("sip.example.test", Ttl, "192.0.2.5");

        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.5", 5090), SipTransportKind.Tcp), target);
        Assert.Equal(1, _dns.QueryCount(UdpService, RecordType.Srv));
    }

    [Fact]
    public async Task Locate_NaptrPrefersTcp_TcpSrvUsedAndUdpSrvNotAsked()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddNaptr(Domain, Ttl, order: 10, preference: 10, "S", "SIP+D2T", TcpService);
        _dns.AddNaptr(Domain, Ttl, order: 20, preference: 10, "S", "SIP+D2U", UdpService);
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5071, "sip.example.test");
        _dns.AddSrv(TcpService, Ttl, 10, 10, 5072, "sip.example.test");
        _dns.AddA("sip.example.test", Ttl, "192.0.2.5");

        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.5", 5072), SipTransportKind.Tcp), target);
        Assert.Equal(0, _dns.QueryCount(UdpService, RecordType.Srv));
    }

    [Fact]
    public async Task Locate_NaptrTargetsAllGreylisted_NextNaptrService()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddNaptr(Domain, Ttl, order: 10, preference: 10, "S", "SIP+D2T", TcpService);
        _dns.AddNaptr(Domain, Ttl, order: 10, preference: 20, "S", "SIP+D2U", UdpService);
        _dns.AddSrv(TcpService, Ttl, 10, 10, 5072, "tcp.example.test");
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5071, "udp.example.test");
        _dns.AddA("tcp.example.test", Ttl, "192.0.2.5");
        _dns.AddA("udp.example.test", Ttl, "192.0.2.6");

        _locator.ReportFailure(EndPoint("192.0.2.5", 5072));
        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.6", 5071), SipTransportKind.Udp), target);
    }

    [Fact]
    public async Task Locate_NaptrForTlsOnly_SrvPerTransportAsWithoutNaptr()
    {
        _dns.AddNaptr(Domain, Ttl, order: 10, preference: 10, "S", "SIPS+D2T", TlsService);
        _dns.AddSrv(TlsService, Ttl, 10, 10, 5061, "sip.example.test");
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5071, "sip.example.test");
        _dns.AddA("sip.example.test", Ttl, "192.0.2.5");

        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.5", 5071), SipTransportKind.Udp), target);
        Assert.Equal(0, _dns.QueryCount(TlsService, RecordType.Srv));
    }

    [Fact]
    public async Task Locate_ExplicitTransport_NoNaptrQuery()
    {
        _dns.AddA(Domain, Ttl, "192.0.2.7");

        await Locate(NamedHop(SipTransportKind.Tcp));

        Assert.Equal(0, _dns.QueryCount(Domain, RecordType.Naptr));
    }

    [Fact]
    public async Task Locate_UdpSrvTargetsAllGreylisted_TcpSrvTarget()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5071, "udp.example.test");
        _dns.AddSrv(TcpService, Ttl, 10, 10, 5072, "tcp.example.test");
        _dns.AddA("udp.example.test", Ttl, "192.0.2.6");
        _dns.AddA("tcp.example.test", Ttl, "192.0.2.5");

        _locator.ReportFailure(EndPoint("192.0.2.6", 5071));
        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.5", 5072), SipTransportKind.Tcp), target);
    }

    [Fact]
    public async Task Locate_SrvTargetsAllGreylisted_NoAddressFallbackOnTheDomain()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5071, "udp.example.test");
        _dns.AddA("udp.example.test", Ttl, "192.0.2.6");
        _dns.AddA(Domain, Ttl, "192.0.2.7");

        _locator.ReportFailure(EndPoint("192.0.2.6", 5071));

        Assert.Null(await Locate(NamedHop()));
        Assert.Equal(0, _dns.QueryCount(Domain, RecordType.A));
    }

    [Theory]
    [InlineData(null, SipTransportKind.Udp, 5060)]
    [InlineData(SipTransportKind.Tcp, SipTransportKind.Tcp, 5060)]
    [InlineData(SipTransportKind.Tls, SipTransportKind.Tls, 5061)]
    public async Task Locate_NoSrv_AddressOnTheTransportsDefaultPort(SipTransportKind? transport, SipTransportKind expectedTransport, int expectedPort)
    {
        _dns.AddA(Domain, Ttl, "192.0.2.7");

        var target = await Locate(NamedHop(transport));

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.7", expectedPort), expectedTransport), target);
    }

    [Fact]
    public async Task Locate_NoSrvNoA_Aaaa()
    {
        _dns.AddAaaa(Domain, Ttl, "2001:db8::7");

        var target = await Locate(NamedHop());

        Assert.Equal(new LocatedTarget(EndPoint("2001:db8::7", 5060), SipTransportKind.Udp), target);
    }

    [Fact]
    public async Task Locate_ExplicitPort_AddressOnThatPortWithoutSrv()
    {
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5099, "elsewhere.example.test");
        _dns.AddA(Domain, Ttl, "192.0.2.8");

        var target = await Locate(new NextHop(Domain, 5077, null) { PortIsDefault = false });

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.8", 5077), SipTransportKind.Udp), target);
        Assert.Equal(0, _dns.QueryCount(UdpService, RecordType.Srv));
    }

    [Fact]
    public async Task Locate_IpLiteral_ThatAddressWithoutAnyQuery()
    {
        var target = await Locate(new NextHop("192.0.2.9", 5060, IPAddress.Parse("192.0.2.9")) { PortIsDefault = true });

        Assert.Equal(new LocatedTarget(EndPoint("192.0.2.9", 5060), SipTransportKind.Udp), target);
        Assert.Equal(0, _dns.QueryCount("192.0.2.9", RecordType.A));
    }

    [Fact]
    public async Task Locate_NameInOtherCase_SameCacheEntry()
    {
        _dns.AddA(Domain, Ttl, "192.0.2.7");

        await Locate(new NextHop("Example.TEST", 5060, null) { PortIsDefault = false });
        var target = await Locate(new NextHop("example.test", 5060, null) { PortIsDefault = false });

        Assert.Equal(EndPoint("192.0.2.7", 5060), target?.EndPoint);
        Assert.Equal(1, _dns.QueryCount(Domain, RecordType.A));
    }

    [Fact]
    public async Task Locate_SrvWithoutAdditionalAddresses_TargetLookedUpByA()
    {
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5060, "sip.example.test");
        _dns.AddA("sip.example.test", Ttl, "192.0.2.5");

        await Locate(NamedHop());

        Assert.Equal(1, _dns.QueryCount("sip.example.test", RecordType.A));
    }

    [Fact]
    public async Task Locate_SrvWithAdditionalAddresses_NoTargetQuery()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5060, "sip.example.test");
        _dns.AddA("sip.example.test", Ttl, "192.0.2.5");

        var target = await Locate(NamedHop());

        Assert.Equal(EndPoint("192.0.2.5", 5060), target?.EndPoint);
        Assert.Equal(0, _dns.QueryCount("sip.example.test", RecordType.A));
    }

    [Fact]
    public async Task Locate_WithinTtl_AnsweredFromCache()
    {
        _dns.AddSrv(UdpService, 60, 10, 10, 5060, "sip.example.test");
        _dns.AddA("sip.example.test", 60, "192.0.2.5");

        await Locate(NamedHop());
        _time.Advance(TimeSpan.FromSeconds(59));
        var target = await Locate(NamedHop());

        Assert.Equal(EndPoint("192.0.2.5", 5060), target?.EndPoint);
        Assert.Equal(1, _dns.QueryCount(UdpService, RecordType.Srv));
        Assert.Equal(1, _dns.QueryCount("sip.example.test", RecordType.A));
    }

    [Fact]
    public async Task Locate_AfterTtl_AskedAgainAndNewAddressUsed()
    {
        _dns.AddSrv(UdpService, 60, 10, 10, 5060, "sip.example.test");
        _dns.AddA("sip.example.test", 60, "192.0.2.5");
        await Locate(NamedHop());

        _dns.RemoveAll("sip.example.test");
        _dns.AddA("sip.example.test", 60, "192.0.2.6");
        _time.Advance(TimeSpan.FromSeconds(61));
        var target = await Locate(NamedHop());

        Assert.Equal(EndPoint("192.0.2.6", 5060), target?.EndPoint);
        Assert.Equal(2, _dns.QueryCount(UdpService, RecordType.Srv));
        Assert.Equal(2, _dns.QueryCount("sip.example.test", RecordType.A));
    }

    [Fact]
    public async Task Locate_CacheFull_FurtherNamesAskedEachTimeCachedOnesKept()
    {
        _dns.AddA("one.example.test", Ttl, "192.0.2.1");
        _dns.AddA("two.example.test", Ttl, "192.0.2.2");
        var locator = Locator(_settings with { MaxCachedQuestions = 1 });
        var one = new NextHop("one.example.test", 5060, null) { PortIsDefault = false };
        var two = new NextHop("two.example.test", 5060, null) { PortIsDefault = false };

        for (var round = 0; round < 2; round++)
        {
            Assert.NotNull(await locator.LocateAsync(one, CancellationToken.None).AsTask().WaitAsync(CallerTimeout));
            Assert.NotNull(await locator.LocateAsync(two, CancellationToken.None).AsTask().WaitAsync(CallerTimeout));
        }

        Assert.Equal(1, _dns.QueryCount("one.example.test", RecordType.A));
        Assert.Equal(2, _dns.QueryCount("two.example.test", RecordType.A));
    }

    [Fact]
    public async Task Locate_UnknownName_NullAndRememberedBriefly()
    {
        var hop = new NextHop("missing.example.test", 5060, null) { PortIsDefault = false };

        var first = await Locate(hop);
        var second = await Locate(hop);
        _time.Advance(_settings.NegativeCacheTtl + TimeSpan.FromSeconds(1));
        await Locate(hop);

        Assert.Null(first);
        Assert.Null(second);
        // Once per negative TTL, not once per lookup.
        Assert.Equal(2, _dns.QueryCount("missing.example.test", RecordType.A));
    }

    [Fact]
    public async Task Locate_FirstTargetGreylisted_NextTargetUntilThePeriodHasPassed()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, priority: 10, weight: 10, port: 5070, target: "primary.example.test");
        _dns.AddSrv(UdpService, Ttl, priority: 20, weight: 10, port: 5080, target: "backup.example.test");
        _dns.AddA("primary.example.test", Ttl, "192.0.2.10");
        _dns.AddA("backup.example.test", Ttl, "192.0.2.20");

        _locator.ReportFailure(EndPoint("192.0.2.10", 5070));
        var whileGreylisted = await Locate(NamedHop());
        _time.Advance(_settings.GreylistPeriod);
        var afterwards = await Locate(NamedHop());

        Assert.Equal(EndPoint("192.0.2.20", 5080), whileGreylisted?.EndPoint);
        Assert.Equal(EndPoint("192.0.2.10", 5070), afterwards?.EndPoint);
    }

    [Fact]
    public async Task Locate_FirstAddressOfTargetGreylisted_NextAddressOfThatTarget()
    {
        _dns.AddA(Domain, Ttl, "192.0.2.31");
        _dns.AddA(Domain, Ttl, "192.0.2.32");
        _dns.AddAaaa(Domain, Ttl, "2001:db8::33");
        var hop = new NextHop(Domain, 5060, null) { PortIsDefault = false };

        _locator.ReportFailure(EndPoint("192.0.2.31", 5060));
        var second = await Locate(hop);
        _locator.ReportFailure(EndPoint("192.0.2.32", 5060));
        var third = await Locate(hop);

        Assert.Equal(EndPoint("192.0.2.32", 5060), second?.EndPoint);
        Assert.Equal(EndPoint("2001:db8::33", 5060), third?.EndPoint);
    }

    [Fact]
    public async Task Locate_EveryTargetGreylisted_Null()
    {
        _dns.IncludeTargetAddresses = true;
        _dns.AddSrv(UdpService, Ttl, 10, 10, 5070, "primary.example.test");
        _dns.AddSrv(UdpService, Ttl, 20, 10, 5080, "backup.example.test");
        _dns.AddA("primary.example.test", Ttl, "192.0.2.10");
        _dns.AddA("backup.example.test", Ttl, "192.0.2.20");

        _locator.ReportFailure(EndPoint("192.0.2.10", 5070));
        _locator.ReportFailure(EndPoint("192.0.2.20", 5080));

        Assert.Null(await Locate(NamedHop()));
    }

    [Fact]
    public async Task Locate_ServerNeverAnswers_NullAfterTheTimeOut()
    {
        _dns.AddA(Domain, Ttl, "192.0.2.7");
        _dns.HoldAnswers();
        using var lookups = new CounterTotals(MeterFactory, "orleansproxy.dns.lookups", "outcome");
        var locator = Locator(_settings with { Timeout = TimeSpan.FromMilliseconds(300) });

        var target = await locator.LocateAsync(NamedHop(), CancellationToken.None).AsTask().WaitAsync(CallerTimeout);

        Assert.Null(target);
        Assert.Equal(1, lookups["timeout"]);
    }

    [Fact]
    public async Task Locate_QueriesAndCacheHits_OnlyQueriesCountedByOutcome()
    {
        using var lookups = new CounterTotals(MeterFactory, "orleansproxy.dns.lookups", "outcome");
        _dns.AddA(Domain, Ttl, "192.0.2.7");

        await Locate(NamedHop());
        await Locate(NamedHop());

        // NAPTR and UDP's and TCP's SRV names do not exist; the A query answers; the second lookup is all cache.
        Assert.Equal(3, lookups["no_records"]);
        Assert.Equal(1, lookups["records"]);
        Assert.Equal(4, lookups.Total);
    }

    [Fact]
    public void ReportFailure_Greylisting_Counted()
    {
        using var greylisted = new CounterTotals(MeterFactory, "orleansproxy.nexthop.greylisted");

        _locator.ReportFailure(EndPoint("192.0.2.10", 5070));

        Assert.Equal(1, greylisted.Total);
    }

    [Fact]
    public async Task Locate_ConcurrentLookupsOfOneName_ShareOneQuery()
    {
        _dns.AddA(Domain, Ttl, "192.0.2.7");
        _dns.HoldAnswers();

        var lookups = Enumerable.Range(0, 8).Select(_ => _locator.LocateAsync(NamedHop(SipTransportKind.Udp), CancellationToken.None).AsTask()).ToList();
        await Eventually.Satisfies(() => Task.FromResult(_dns.QueryCount(UdpService, RecordType.Srv)), count => count > 0, "the SRV query to arrive");
        Assert.All(lookups, lookup => Assert.False(lookup.IsCompleted));
        _dns.ReleaseAnswers();
        var targets = await Task.WhenAll(lookups).WaitAsync(CallerTimeout);

        Assert.All(targets, target => Assert.Equal(EndPoint("192.0.2.7", 5060), target?.EndPoint));
        Assert.Equal(1, _dns.QueryCount(UdpService, RecordType.Srv));
        Assert.Equal(1, _dns.QueryCount(Domain, RecordType.A));
    }

    private static NextHop NamedHop(SipTransportKind? transport = null) =>
        new(Domain, transport == SipTransportKind.Tls ? 5061 : 5060, null, transport) { PortIsDefault = true };

    private static IPEndPoint EndPoint(string address, int port) => new(IPAddress.Parse(address), port);

    private Task<LocatedTarget?> Locate(NextHop hop) =>
        _locator.LocateAsync(hop, CancellationToken.None).AsTask().WaitAsync(CallerTimeout);
}
