using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>"Proxy:Capture:Hep": off by default, one line per bad key, unknown keys refused.</summary>
public sealed class CaptureConfigurationTests
{
    [Fact]
    public void NothingConfigured_CaptureIsOff()
    {
        var configuration = TestConfiguration.With();

        Assert.Empty(configuration.Lines());
        Assert.Null(configuration.Settings!.Capture);
    }

    [Fact]
    public void Disabled_WithACollector_CaptureIsOff()
    {
        var configuration = TestConfiguration.With(("Proxy:Capture:Hep:Enabled", "false"), ("Proxy:Capture:Hep:Collector", "10.0.0.9:9060"));

        Assert.Empty(configuration.Lines());
        Assert.Null(configuration.Settings!.Capture);
    }

    [Fact]
    public void Enabled_ReadsEveryKey()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Capture:Hep:Enabled", "true"),
            ("Proxy:Capture:Hep:Collector", "homer.example.com:9061"),
            ("Proxy:Capture:Hep:CaptureId", "2001"),
            ("Proxy:Capture:Hep:QueueSize", "500"));

        Assert.Empty(configuration.Lines());
        var capture = configuration.Settings!.Capture!;
        Assert.Equal("homer.example.com:9061", capture.Collector.ToString());
        Assert.Equal((2001u, 500), (capture.CaptureId, capture.QueueSize));
    }

    [Fact]
    public void Enabled_CollectorWithoutPortOrIds_GetsTheDefaults()
    {
        var configuration = TestConfiguration.With(("Proxy:Capture:Hep:Enabled", "true"), ("Proxy:Capture:Hep:Collector", "10.0.0.9"));

        var capture = configuration.Settings!.Capture!;
        Assert.Equal("10.0.0.9:9060", capture.Collector.ToString());
        Assert.Equal((0u, 10_000), (capture.CaptureId, capture.QueueSize));
    }

    [Fact]
    public void Enabled_WithoutCollector_NamesTheKey()
    {
        var configuration = TestConfiguration.With(("Proxy:Capture:Hep:Enabled", "true"));

        Assert.StartsWith("Proxy:Capture:Hep:Collector: is required", Assert.Single(configuration.Lines()), StringComparison.Ordinal);
        Assert.False(configuration.IsValid);
    }

    [Fact]
    public void BadValues_OneLineEach()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Capture:Hep:Enabled", "yes"),
            ("Proxy:Capture:Hep:Collector", "[::1"),
            ("Proxy:Capture:Hep:CaptureId", "-1"),
            ("Proxy:Capture:Hep:QueueSize", "0"),
            ("Proxy:Capture:Hep:Port", "9060"),
            ("Proxy:Capture:Pcap:Enabled", "true"));

        var lines = configuration.Lines().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, lines.Count);
        Assert.StartsWith("Proxy:Capture:Hep:CaptureId: '-1' is not a whole number from 0 to", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Proxy:Capture:Hep:Collector: '[::1' is not host:port", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("Proxy:Capture:Hep:Enabled: 'yes' is not true or false", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("Proxy:Capture:Hep:Port: unknown key", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("Proxy:Capture:Hep:QueueSize: '0' is not a whole number from 1 to", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("Proxy:Capture:Pcap: unknown key", lines[5], StringComparison.Ordinal);
    }
}
