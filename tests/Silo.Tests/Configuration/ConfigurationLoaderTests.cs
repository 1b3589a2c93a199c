using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private const string AppSettings = """
        {
          "Proxy": {
            "Listen": [ "udp://127.0.0.1:5060" ],
            "Aliases": [ "from-appsettings" ],
            "Pairs": [ { "Name": "main", "Primary": "127.0.0.1:5070", "Backup": "127.0.0.1:5080" } ],
            "Probe": { "IntervalMs": 1000, "FailuresToDown": 3 }
          }
        }
        """;

    private const string ConfigFile = """
        { "Proxy": { "Probe": { "IntervalMs": 900, "FailuresToDown": 4 } } }
        """;

    private readonly TempDirectory _directory = new();

    public ConfigurationLoaderTests() => _directory.Write(ConfigurationLoader.AppSettingsFileName, AppSettings);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_KeyInSeveralSources_LaterSourceWins()
    {
        var config = _directory.Write("node.json", ConfigFile);

        var configuration = ConfigurationLoader.Load(new([config], ["--Proxy:Probe:FailuresToDown=5"], _directory.Path));

        Assert.Empty(configuration.Faults);
        Assert.Equal(["from-appsettings"], configuration.Settings!.Aliases.AsEnumerable());
        Assert.Equal(TimeSpan.FromMilliseconds(900), configuration.Settings.Probe.Interval);
        Assert.Equal(5, configuration.Settings.Probe.FailuresToDown);
    }

    [Fact]
    public void Load_EmptyStringInAFile_IsAValueNotAMissingKey()
    {
        var config = _directory.Write("node.json", """{ "Proxy": { "ServerHeader": "" } }""");

        var configuration = ConfigurationLoader.Load(new([config], [], _directory.Path));

        Assert.Empty(configuration.Faults);
        Assert.Equal(string.Empty, configuration.Settings!.Product.Value);
        Assert.Equal(["from-appsettings"], configuration.Settings.Aliases.AsEnumerable());
    }

    [Fact]
    public void Load_CommandLineOverrideWithSpace_Applies()
    {
        var configuration = ConfigurationLoader.Load(new([], ["--Proxy:Pairs:0:Primary", "10.0.0.1"], _directory.Path));

        Assert.Equal("10.0.0.1:5060", configuration.Settings!.Pairs[0].Primary);
    }

    [Fact]
    public void Load_ConfigFileMissing_OneFaultNamingTheFile()
    {
        var missing = Path.Combine(_directory.Path, "missing.json");

        var configuration = ConfigurationLoader.Load(new([missing], [], _directory.Path));

        Assert.Equal([$"--config: file '{missing}' does not exist"], configuration.Lines());
        Assert.False(configuration.IsValid);
    }

    [Fact]
    public void Load_ConfigFileNotJson_FaultForTheFileAndOtherFaultsStillReported()
    {
        var broken = _directory.Write("broken.json", "{ \"Proxy\": { \"Probe\": ");

        var configuration = ConfigurationLoader.Load(new([broken], ["--Proxy:Probe:IntervalMs=abc"], _directory.Path));

        Assert.Equal(["--config", "Proxy:Probe:IntervalMs"], configuration.Faults.Select(f => f.Key));
        Assert.Contains(broken, configuration.Faults[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoAppSettingsFile_OtherSourcesSuffice()
    {
        using var empty = new TempDirectory();

        var configuration = ConfigurationLoader.Load(new(
            [],
            [
                "--Proxy:Listen:0=udp://127.0.0.1:5060",
                "--Proxy:Pairs:0:Name=solo",
                "--Proxy:Pairs:0:Primary=127.0.0.1:5070",
                "--Proxy:Pairs:0:Backup=127.0.0.1:5080",
            ],
            empty.Path));

        Assert.Empty(configuration.Faults);
        Assert.Equal("solo", configuration.Settings!.DefaultPair);
    }
}
