using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

public sealed class ProxyOptionsReadingTests
{
    [Theory]
    [InlineData("Proxy:Probe:IntervalMs", "abc", "'abc' is not a whole number")]
    [InlineData("Proxy:Probe:TimeoutMs", "1.5", "'1.5' is not a whole number")]
    [InlineData("Proxy:Cluster:SiloPort", "99999999999", "'99999999999' is not a whole number")]
    [InlineData("Proxy:MaxMessageBytes", "64k", "'64k' is not a whole number")]
    [InlineData("Proxy:RecordRoute", "yes", "'yes' is not true or false")]
    [InlineData("Proxy:Path", "supported", "'supported' is not true or false")]
    [InlineData("Proxy:Startup:WarmUp", "always", "'always' is not true or false")]
    public void Read_UnconvertibleValue_OneLineNamingTheKey(string key, string value, string message)
    {
        var configuration = TestConfiguration.With((key, value));

        Assert.Equal([$"{key}: {message}"], configuration.Lines());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public void Read_StartupWarmUp_OffUnlessTurnedOn(string? value, bool warmUp)
    {
        var configuration = value is null ? TestConfiguration.With() : TestConfiguration.With(("Proxy:Startup:WarmUp", value));

        Assert.Empty(configuration.Faults);
        Assert.Equal(warmUp, configuration.Settings!.WarmUp);
    }

    [Fact]
    public void Read_KeysInOtherCase_AreTheSameKeys()
    {
        var configuration = TestConfiguration.With(("PROXY:PROBE:INTERVALMS", "800"));

        Assert.Empty(configuration.Faults);
        Assert.Equal(TimeSpan.FromMilliseconds(800), configuration.Settings!.Probe.Interval);
    }

    [Theory]
    [InlineData("Proxy:Probe:Interval", "Proxy:Probe:Interval")]
    [InlineData("Proxy:Pairs:0:Standby", "Proxy:Pairs:0:Standby")]
    [InlineData("Proxy:Listner:0", "Proxy:Listner")]
    [InlineData("Proxy:Udp:MaxBytes", "Proxy:Udp:MaxBytes")]
    [InlineData("Proxy:Startup:WarmUpMs", "Proxy:Startup:WarmUpMs")]
    public void Read_UnknownKey_NamesIt(string key, string faultKey)
    {
        var configuration = TestConfiguration.With((key, "1"));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal(faultKey, fault.Key);
        Assert.StartsWith("unknown key", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ListGivenAsOneValue_AsksForAList()
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:0", null), ("Proxy:Listen", "udp://127.0.0.1:5060"));

        Assert.Equal(
            ["Proxy:Listen: must be a list: set Proxy:Listen:0, Proxy:Listen:1, ..."],
            configuration.Lines());
    }

    [Fact]
    public void Read_ListWithGap_NamesTheMisplacedEntry()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Pairs:2:Name", "late"),
            ("Proxy:Pairs:2:Primary", "127.0.0.1:6070"),
            ("Proxy:Pairs:2:Backup", "127.0.0.1:6080"));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal("Proxy:Pairs:2", fault.Key);
        Assert.Contains("expected Proxy:Pairs:1", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SectionGivenAsValue_AsksForASection()
    {
        var configuration = TestConfiguration.With(("Proxy:Probe", "fast"));

        Assert.Equal("Proxy:Probe", Assert.Single(configuration.Faults).Key);
    }

    [Fact]
    public void Read_PairGivenAsValue_AsksForItsKeys()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Pairs:0:Name", null),
            ("Proxy:Pairs:0:Primary", null),
            ("Proxy:Pairs:0:Backup", null),
            ("Proxy:Pairs:0", "main"));

        Assert.Equal("Proxy:Pairs:0", Assert.Single(configuration.Faults).Key);
    }

    [Fact]
    public void Read_EmptyValue_MeansNotSet()
    {
        var configuration = TestConfiguration.With(("Proxy:DefaultPair", ""), ("Proxy:Probe:IntervalMs", ""));

        Assert.Empty(configuration.Faults);
        Assert.Equal("main", configuration.Settings!.DefaultPair);
        Assert.Equal(TimeSpan.FromMilliseconds(500), configuration.Settings.Probe.Interval);
    }
}
