using System.Net;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Configuration;

public sealed class ProxyOptionsValidatorTests
{
    [Fact]
    public void Validate_Baseline_ParsesEveryKeyWithDefaults()
    {
        var configuration = TestConfiguration.With();

        Assert.Empty(configuration.Faults);
        var settings = configuration.Settings!;
        var listen = Assert.Single(settings.Listen);
        Assert.Equal(SipTransportKind.Udp, listen.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5060), listen.EndPoint);
        Assert.Empty(settings.Aliases.AsEnumerable());
        Assert.True(settings.RecordRoute);
        Assert.True(settings.Path);
        var pair = Assert.Single(settings.Pairs);
        Assert.Equal(("main", "127.0.0.1:5070", "127.0.0.1:5080"), (pair.Name, pair.Primary, pair.Backup));
        Assert.Equal("main", settings.DefaultPair);
        Assert.Equal(65535, settings.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Probe.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(400), settings.Probe.Timeout);
        Assert.Equal(2, settings.Probe.FailuresToDown);
        Assert.Equal(TimeSpan.FromMilliseconds(25), settings.Probe.FastInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Probe.KeepAlivePeriod);
        Assert.Same(settings.Probe, pair.Probe);
        Assert.Equal(new Uri("http://127.0.0.1:8060"), settings.AdminUrl);
        Assert.Equal(11111, settings.SiloPort);
    }

    [Fact]
    public void Validate_EveryKeySet_ParsesThem()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Listen:1", "udp://[::1]:5062"),
            ("Proxy:Aliases:0", "SIP-Proxy.Example.COM"),
            ("Proxy:Aliases:1", "10.0.0.9"),
            ("Proxy:RecordRoute", "false"),
            ("Proxy:Path", "false"),
            ("Proxy:Pairs:1:Name", "east"),
            ("Proxy:Pairs:1:Primary", "SIP1.example.com"),
            ("Proxy:Pairs:1:Backup", "[0:0::2]:5090"),
            ("Proxy:DefaultPair", "east"),
            ("Proxy:MaxMessageBytes", "4096"),
            ("Proxy:Probe:IntervalMs", "1000"),
            ("Proxy:Probe:TimeoutMs", "300"),
            ("Proxy:Probe:FailuresToDown", "3"),
            ("Proxy:Probe:FastIntervalMs", "50"),
            ("Proxy:Admin:Url", "http://[::1]:9000"),
            ("Proxy:Cluster:SiloPort", "12000"));

        Assert.Empty(configuration.Faults);
        var settings = configuration.Settings!;
        Assert.Equal(["udp://127.0.0.1:5060", "udp://[::1]:5062"], settings.Listen.Select(l => l.ToString()));
        Assert.Equal(["sip-proxy.example.com", "10.0.0.9"], settings.Aliases.AsEnumerable());
        Assert.False(settings.RecordRoute);
        Assert.False(settings.Path);
        Assert.Equal(("east", "sip1.example.com:5060", "[::2]:5090"), (settings.Pairs[1].Name, settings.Pairs[1].Primary, settings.Pairs[1].Backup));
        Assert.Equal("east", settings.DefaultPair);
        Assert.Equal(4096, settings.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Probe.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings.Probe.Timeout);
        Assert.Equal(3, settings.Probe.FailuresToDown);
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.Probe.FastInterval);
        Assert.Equal(9000, settings.AdminUrl.Port);
        Assert.Equal(12000, settings.SiloPort);
    }

    [Theory]
    [InlineData(null, "OrleansProxy", "Server: OrleansProxy\r\n")]
    [InlineData("", "", "")]
    [InlineData("Acme-SBC/2.1 (edge)", "Acme-SBC/2.1 (edge)", "Server: Acme-SBC/2.1 (edge)\r\n")]
    public void Validate_ServerHeader_UnsetKeepsTheDefaultEmptyLeavesItOut(string? value, string product, string serverLine)
    {
        var configuration = TestConfiguration.With(("Proxy:ServerHeader", value));

        Assert.Empty(configuration.Faults);
        var named = configuration.Settings!.Product;
        Assert.Equal((product, serverLine), (named.Value, System.Text.Encoding.ASCII.GetString(named.ServerLine.Span)));
    }

    [Theory]
    [InlineData("Acme\r\nX-Injected: yes", "'Acme\\r\\nX-Injected: yes' must be printable ASCII: no CR, LF, tab or other control characters, no letters outside ASCII")]
    [InlineData("Acme ", "'Acme ' must not start or end with a space")]
    public void Validate_ServerHeaderThatCannotBeAHeaderValue_NamesTheKey(string value, string message)
    {
        var configuration = TestConfiguration.With(("Proxy:ServerHeader", value));

        Assert.Equal([$"Proxy:ServerHeader: {message}"], configuration.Lines());
        Assert.Null(configuration.Settings);
    }

    [Fact]
    public void Validate_PortOutOfRange_NamesTheMemberKey()
    {
        var configuration = TestConfiguration.With(("Proxy:Pairs:0:Primary", "10.0.0.1:99999"));

        Assert.Equal(["Proxy:Pairs:0:Primary: '10.0.0.1:99999' is not host:port (port 1-65535)"], configuration.Lines());
        Assert.Null(configuration.Settings);
    }

    [Theory]
    [InlineData("Proxy:Pairs:0:Primary", "::1")]
    [InlineData("Proxy:Pairs:0:Primary", "10.0.0.256")]
    [InlineData("Proxy:Pairs:0:Backup", "sip_server!:5060")]
    [InlineData("Proxy:Pairs:0:Backup", "10.0.0.1:0")]
    [InlineData("Proxy:Pairs:0:Backup", "10.0.0.1:abc")]
    public void Validate_MalformedMember_OneFaultNamingTheKey(string key, string value)
    {
        var configuration = TestConfiguration.With((key, value));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal(key, fault.Key);
        Assert.StartsWith($"'{value}' is not host:port (", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Proxy:Pairs:0:Name")]
    [InlineData("Proxy:Pairs:0:Primary")]
    [InlineData("Proxy:Pairs:0:Backup")]
    public void Validate_PairKeyMissing_RequiredFault(string key)
    {
        var configuration = TestConfiguration.With((key, null));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal(key, fault.Key);
        Assert.StartsWith("is required", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoPairs_AtLeastOnePairRequired()
    {
        var configuration = TestConfiguration.FromValues(
            new Dictionary<string, string?> { ["Proxy:Listen:0"] = "udp://127.0.0.1:5060" });

        Assert.Equal(["Proxy:Pairs: at least one pair is required"], configuration.Lines());
    }

    [Fact]
    public void Validate_DuplicatePairName_NamesTheSecondEntry()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Pairs:1:Name", "MAIN"),
            ("Proxy:Pairs:1:Primary", "127.0.0.1:6070"),
            ("Proxy:Pairs:1:Backup", "127.0.0.1:6080"));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal("Proxy:Pairs:1:Name", fault.Key);
        Assert.Contains("Proxy:Pairs:0:Name", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main pair")]
    [InlineData("main/1")]
    [InlineData("a-name-that-is-far-too-long-to-be-useful-in-a-url-or-a-log-line-x")]
    public void Validate_BadPairName_NamesTheKey(string name)
    {
        var configuration = TestConfiguration.With(("Proxy:Pairs:0:Name", name));

        Assert.Equal("Proxy:Pairs:0:Name", Assert.Single(configuration.Faults).Key);
    }

    [Theory]
    [InlineData("127.0.0.1:5060", "127.0.0.1:5060")]
    [InlineData("127.0.0.1", "127.0.0.1:5060")]
    [InlineData("[::1]:5060", "[0:0::1]")]
    public void Validate_BackupSameAsPrimary_NamesTheBackup(string primary, string backup)
    {
        var configuration = TestConfiguration.With(("Proxy:Pairs:0:Primary", primary), ("Proxy:Pairs:0:Backup", backup), ("Proxy:Listen:1", "udp://[::1]:5060"));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal("Proxy:Pairs:0:Backup", fault.Key);
        Assert.StartsWith($"'{backup}' is the same member as Proxy:Pairs:0:Primary", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MemberInTwoPairs_NamesTheLaterKey()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Pairs:1:Name", "second"),
            ("Proxy:Pairs:1:Primary", "127.0.0.1:6070"),
            ("Proxy:Pairs:1:Backup", "127.0.0.1:5080"));

        Assert.Equal(
            ["Proxy:Pairs:1:Backup: '127.0.0.1:5080' is the same member as Proxy:Pairs:0:Backup (127.0.0.1:5080)"],
            configuration.Lines());
    }

    [Fact]
    public void Validate_TimeoutNotBelowInterval_NamesTheTimeout()
    {
        var configuration = TestConfiguration.With(("Proxy:Probe:TimeoutMs", "500"));

        Assert.Equal(
            ["Proxy:Probe:TimeoutMs: must be less than Proxy:Probe:IntervalMs (500 >= 500)"],
            configuration.Lines());
    }

    [Fact]
    public void Validate_FastIntervalAboveInterval_NamesTheFastInterval()
    {
        var configuration = TestConfiguration.With(("Proxy:Probe:FastIntervalMs", "600"));

        Assert.Equal("Proxy:Probe:FastIntervalMs", Assert.Single(configuration.Faults).Key);
    }

    [Fact]
    public void Validate_NoServingCodes_2xxServesAndAnythingElseDoesNot()
    {
        var settings = TestConfiguration.With().Settings!;

        Assert.True(settings.Probe.ServingCodes.IsServing(200));
        Assert.True(settings.Probe.ServingCodes.IsServing(202));
        Assert.False(settings.Probe.ServingCodes.IsServing(503));
        Assert.False(settings.Probe.ServingCodes.IsServing(404));
    }

    [Fact]
    public void Validate_ServingCodesClassAndCode_BothServe()
    {
        var configuration = TestConfiguration.With(("Proxy:Probe:ServingCodes:0", "2xx"), ("Proxy:Probe:ServingCodes:1", "404"));

        Assert.Empty(configuration.Faults);
        var serving = configuration.Settings!.Probe.ServingCodes;
        Assert.True(serving.IsServing(200));
        Assert.True(serving.IsServing(404));
        Assert.False(serving.IsServing(503));
    }

    [Theory]
    [InlineData("1xx")]
    [InlineData("99")]
    [InlineData("700")]
    [InlineData("ok")]
    public void Validate_ServingCodeNotAFinalCode_NamesTheEntry(string code)
    {
        var configuration = TestConfiguration.With(("Proxy:Probe:ServingCodes:0", code));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal("Proxy:Probe:ServingCodes:0", fault.Key);
        Assert.Contains(code, fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1300)]
    [InlineData("0", 0)]
    [InlineData("4000", 4000)]
    public void Validate_UdpMaxRequestBytes_Rfc3261_18_1_1_DefaultsTo1300AndZeroKeepsRequestsOnUdp(string? value, int expected)
    {
        var configuration = value is null ? TestConfiguration.With() : TestConfiguration.With(("Proxy:Udp:MaxRequestBytes", value));

        Assert.Empty(configuration.Faults);
        Assert.Equal(expected, configuration.Settings!.UdpMaxRequestBytes);
    }

    [Fact]
    public void Validate_NoHoldKeys_HoldsFiveSecondsAndAThousandRequests()
    {
        var hold = TestConfiguration.With().Settings!.Transactions.Hold;

        Assert.Equal((TimeSpan.FromSeconds(5), 1000), (hold.Time, hold.MaxRequests));
    }

    [Fact]
    public void Validate_HoldKeys_ParsesThem()
    {
        var hold = TestConfiguration.With(("Proxy:Failover:HoldMs", "0"), ("Proxy:Failover:HoldMaxRequests", "20")).Settings!.Transactions.Hold;

        Assert.Equal((TimeSpan.Zero, 20), (hold.Time, hold.MaxRequests));
    }

    [Theory]
    [InlineData("Proxy:Failover:HoldMs", "-1")]
    [InlineData("Proxy:Failover:HoldMs", "32001")]
    [InlineData("Proxy:Failover:HoldMaxRequests", "0")]
    [InlineData("Proxy:Probe:IntervalMs", "5")]
    [InlineData("Proxy:Probe:IntervalMs", "60001")]
    [InlineData("Proxy:Probe:TimeoutMs", "0")]
    [InlineData("Proxy:Probe:FailuresToDown", "0")]
    [InlineData("Proxy:Probe:FastIntervalMs", "-1")]
    [InlineData("Proxy:MaxMessageBytes", "100")]
    [InlineData("Proxy:MaxMessageBytes", "65536")]
    [InlineData("Proxy:Cluster:SiloPort", "0")]
    [InlineData("Proxy:Cluster:SiloPort", "65536")]
    [InlineData("Proxy:Udp:MaxRequestBytes", "-1")]
    [InlineData("Proxy:Udp:MaxRequestBytes", "65536")]
    public void Validate_NumberOutOfRange_OneFaultNamingTheKey(string key, string value)
    {
        var configuration = TestConfiguration.With((key, value));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal(key, fault.Key);
        Assert.Contains("out of range", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IntervalNotANumber_NoCrossKeyFaultOnTimeout()
    {
        var configuration = TestConfiguration.With(("Proxy:Probe:IntervalMs", "abc"), ("Proxy:Probe:TimeoutMs", "700"));

        Assert.Equal(["Proxy:Probe:IntervalMs: 'abc' is not a whole number"], configuration.Lines());
    }

    [Fact]
    public void Validate_SiloPortEqualsAdminPort_NamesTheSiloPort()
    {
        var configuration = TestConfiguration.With(("Proxy:Cluster:SiloPort", "8060"));

        Assert.Equal("Proxy:Cluster:SiloPort", Assert.Single(configuration.Faults).Key);
    }

    [Theory]
    [InlineData("127.0.0.1:5060")]
    [InlineData("udp:/127.0.0.1:5060")]
    [InlineData("udp://127.0.0.1:70000")]
    [InlineData("udp://proxy.example.com:5060")]
    [InlineData("sctp://127.0.0.1:5060")]
    public void Validate_BadListenUri_NamesTheEntry(string listen)
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:0", listen));

        Assert.Equal("Proxy:Listen:0", Assert.Single(configuration.Faults).Key);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5060", SipTransportKind.Tcp, "127.0.0.1", 5060)]
    [InlineData("TCP://[::1]:5070", SipTransportKind.Tcp, "::1", 5070)]
    [InlineData("udp://[::1]", SipTransportKind.Udp, "::1", 5060)]
    public void Validate_TcpAndIpv6Listeners_AreParsed(string listen, SipTransportKind transport, string address, int port)
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:1", listen));

        Assert.Empty(configuration.Lines());
        Assert.Contains(new ListenEndpoint(transport, new IPEndPoint(IPAddress.Parse(address), port)), configuration.Settings!.Listen);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5070", "tcp://127.0.0.1:5080", "'tcp://127.0.0.1:5070' is reached over tcp on IPv4, but Proxy:Listen has no such listener to send from")]
    [InlineData("[::1]:5070", "[::1]:5080", "'[::1]:5070' is reached over udp on IPv6, but Proxy:Listen has no such listener to send from")]
    public void Validate_PairWithoutAListenerOfItsTransportAndFamily_NamesThePrimary(string primary, string backup, string fault)
    {
        var configuration = TestConfiguration.With(("Proxy:Pairs:0:Primary", primary), ("Proxy:Pairs:0:Backup", backup));

        Assert.Equal([$"Proxy:Pairs:0:Primary: {fault}"], configuration.Lines());
    }

    [Fact]
    public void Validate_UdpAndTcpOnOnePort_AreTwoListeners()
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:0", "udp://127.0.0.1:5060"), ("Proxy:Listen:1", "tcp://127.0.0.1:5060"));

        Assert.Equal(2, configuration.Settings!.Listen.Length);
    }

    [Fact]
    public void Validate_ListenWithoutPort_DefaultsTo5060()
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:0", "udp://127.0.0.2"));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5060), Assert.Single(configuration.Settings!.Listen).EndPoint);
    }

    [Fact]
    public void Validate_ListenTwice_NamesTheRepeat()
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:1", "udp://127.0.0.1"));

        Assert.Equal(
            ["Proxy:Listen:1: 'udp://127.0.0.1' is listed twice (also Proxy:Listen:0)"],
            configuration.Lines());
    }

    [Fact]
    public void Validate_NoListen_AtLeastOneRequired()
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:0", null));

        Assert.Equal("Proxy:Listen", Assert.Single(configuration.Faults).Key);
    }

    [Theory]
    [InlineData("127.0.0.1:8060")]
    [InlineData("https://127.0.0.1:8060")]
    [InlineData("http://admin.example.com:8060")]
    [InlineData("http://127.0.0.1:8060/admin")]
    [InlineData("http://127.0.0.1:99999")]
    public void Validate_BadAdminUrl_NamesTheKey(string url)
    {
        var configuration = TestConfiguration.With(("Proxy:Admin:Url", url));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal("Proxy:Admin:Url", fault.Key);
        Assert.Contains(url, fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8061")]
    [InlineData("http://0.0.0.0:8061")]
    [InlineData("http://127.0.0.1:0")]
    public void Validate_AcceptableAdminUrl_NoFault(string url)
    {
        Assert.Empty(TestConfiguration.With(("Proxy:Admin:Url", url)).Faults);
    }

    [Fact]
    public void Validate_BadAlias_NamesTheEntry()
    {
        var configuration = TestConfiguration.With(("Proxy:Aliases:0", "proxy.example.com"), ("Proxy:Aliases:1", "bad host"));

        Assert.Equal("Proxy:Aliases:1", Assert.Single(configuration.Faults).Key);
    }

    [Fact]
    public void Validate_UnknownDefaultPair_ListsTheConfiguredPairs()
    {
        var configuration = TestConfiguration.With(("Proxy:DefaultPair", "west"));

        Assert.Equal(
            ["Proxy:DefaultPair: 'west' is not a configured pair (configured: main)"],
            configuration.Lines());
    }

    [Fact]
    public void Validate_ManyFaults_ReportsEveryOneOnce()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Listen:0", "sctp://127.0.0.1:5060"),
            ("Proxy:Pairs:0:Primary", "10.0.0.1:99999"),
            ("Proxy:Pairs:0:Backup", null),
            ("Proxy:Probe:TimeoutMs", "900"),
            ("Proxy:Probe:FailuresToDown", "many"),
            ("Proxy:Admin:Url", "ftp://x"),
            ("Proxy:Cluster:SiloPort", "-3"));

        string[] expected =
        [
            "Proxy:Admin:Url",
            "Proxy:Cluster:SiloPort",
            "Proxy:Listen:0",
            "Proxy:Pairs:0:Backup",
            "Proxy:Pairs:0:Primary",
            "Proxy:Probe:FailuresToDown",
            "Proxy:Probe:TimeoutMs",
        ];
        Assert.Equal(expected, configuration.Faults.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Null(configuration.Settings);
    }
}
