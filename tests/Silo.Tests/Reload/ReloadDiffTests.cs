using OrleansProxy.Silo.Reload;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Reload;

/// <summary>What a reload reads from two configurations: which pairs changed how, and which keys need a restart.</summary>
public sealed class ReloadDiffTests
{
    [Fact]
    public void Between_PairsAddedRemovedAndChanged_EachNamedOnce()
    {
        var running = TestConfiguration.With(
            ("Proxy:Pairs:1:Name", "kept"), ("Proxy:Pairs:1:Primary", "127.0.0.1:6070"), ("Proxy:Pairs:1:Backup", "127.0.0.1:6080"),
            ("Proxy:Pairs:2:Name", "gone"), ("Proxy:Pairs:2:Primary", "127.0.0.1:7070"), ("Proxy:Pairs:2:Backup", "127.0.0.1:7080"));
        var next = TestConfiguration.With(
            ("Proxy:Pairs:0:Primary", "127.0.0.1:5071"),
            ("Proxy:Pairs:1:Name", "kept"), ("Proxy:Pairs:1:Primary", "127.0.0.1:6070"), ("Proxy:Pairs:1:Backup", "127.0.0.1:6080"),
            ("Proxy:Pairs:2:Name", "new"), ("Proxy:Pairs:2:Primary", "127.0.0.1:8070"), ("Proxy:Pairs:2:Backup", "127.0.0.1:8080"));

        var changes = PairChanges.Between(running.Settings!.Pairs, next.Settings!.Pairs);

        Assert.Equal(["new"], changes.Added.ToArray());
        Assert.Equal(["gone"], changes.Removed.ToArray());
        Assert.Equal(["main"], changes.MembersChanged.ToArray());
        Assert.Empty(changes.ProbeChanged);
    }

    [Fact]
    public void Between_OnlyProbingChanged_EveryPairProbeChanged()
    {
        var running = TestConfiguration.With(("Proxy:Probe:ServingCodes:0", "2xx"));
        var same = TestConfiguration.With(("Proxy:Probe:ServingCodes:0", "2xx"));
        var next = TestConfiguration.With(("Proxy:Probe:IntervalMs", "900"));

        Assert.Empty(PairChanges.Between(running.Settings!.Pairs, same.Settings!.Pairs).Changed);
        Assert.Equal(["main"], PairChanges.Between(running.Settings.Pairs, next.Settings!.Pairs).ProbeChanged.ToArray());
    }

    [Fact]
    public void Changed_StartUpKeysChanged_NamedRoutingChangesNot()
    {
        var running = TestConfiguration.With();
        var next = TestConfiguration.With(
            ("Proxy:Listen:0", "udp://127.0.0.1:5062"),
            ("Proxy:Admin:Url", "http://127.0.0.1:8061"),
            ("Proxy:Cluster:SiloPort", "11112"),
            ("Proxy:Mode", "stateless"),
            ("Proxy:Path", "false"),
            ("Proxy:Routing:TrustedNetworks:0", "10.0.0.0/8"),
            ("Proxy:Probe:IntervalMs", "900"));

        Assert.Equal(
            ["Proxy:Listen", "Proxy:Admin:Url", "Proxy:Cluster:SiloPort", "Proxy:Mode", "Proxy:Path"],
            RestartOnlyKeys.Changed(running, next));
        Assert.Empty(RestartOnlyKeys.Changed(running, TestConfiguration.With()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Edge")]
    public void Changed_ServerHeader_NamedAsNeedingARestart(string serverHeader)
    {
        var next = TestConfiguration.With(("Proxy:ServerHeader", serverHeader));

        Assert.Equal(["Proxy:ServerHeader"], RestartOnlyKeys.Changed(TestConfiguration.With(), next));
        Assert.Empty(RestartOnlyKeys.Changed(TestConfiguration.With(), TestConfiguration.With(("Proxy:ServerHeader", "OrleansProxy"))));
    }

    [Fact]
    public void Changed_CaptureTurnedOn_NamedAsNeedingARestart()
    {
        var next = TestConfiguration.With(("Proxy:Capture:Hep:Enabled", "true"), ("Proxy:Capture:Hep:Collector", "127.0.0.1:9060"));

        Assert.Equal(["Proxy:Capture"], RestartOnlyKeys.Changed(TestConfiguration.With(), next));
    }

    [Fact]
    public void Changed_UdpMaxRequestBytes_NamedAsNeedingARestart()
    {
        var next = TestConfiguration.With(("Proxy:Udp:MaxRequestBytes", "0"));

        Assert.Equal(["Proxy:Udp"], RestartOnlyKeys.Changed(TestConfiguration.With(), next));
    }
}
