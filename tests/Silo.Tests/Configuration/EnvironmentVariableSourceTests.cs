using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class EnvironmentVariableSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<string> _variables = [];

    public void Dispose()
    {
        foreach (var name in _variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        _directory.Dispose();
    }

    [Fact]
    public void Load_EveryLayer_FileThenConfigThenEnvironmentThenCommandLine()
    {
        _directory.Write(ConfigurationLoader.AppSettingsFileName, """
            {
              "Proxy": {
                "Listen": [ "udp://127.0.0.1:5060" ],
                "Pairs": [ { "Name": "main", "Primary": "127.0.0.1:5070", "Backup": "127.0.0.1:5080" } ],
                "Probe": { "IntervalMs": 1000, "TimeoutMs": 300, "FailuresToDown": 3, "FastIntervalMs": 90 }
              }
            }
            """);
        var config = _directory.Write("node.json", """
            { "Proxy": { "Probe": { "TimeoutMs": 310, "FailuresToDown": 4, "FastIntervalMs": 80 } } }
            """);
        Set("Proxy__Probe__FailuresToDown", "5");
        Set("Proxy__Probe__FastIntervalMs", "70");

        var configuration = ConfigurationLoader.Load(new([config], ["--Proxy:Probe:FastIntervalMs=60"], _directory.Path));

        var probe = configuration.Settings!.Probe;
        Assert.Equal(TimeSpan.FromMilliseconds(1000), probe.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(310), probe.Timeout);
        Assert.Equal(5, probe.FailuresToDown);
        Assert.Equal(TimeSpan.FromMilliseconds(60), probe.FastInterval);
    }

    [Fact]
    public void Load_BadEnvironmentValue_FaultNamesTheConfigurationKey()
    {
        _directory.Write(ConfigurationLoader.AppSettingsFileName, """
            {
              "Proxy": {
                "Listen": [ "udp://127.0.0.1:5060" ],
                "Pairs": [ { "Name": "main", "Primary": "127.0.0.1:5070", "Backup": "127.0.0.1:5080" } ]
              }
            }
            """);
        Set("Proxy__Pairs__0__Backup", "10.0.0.1:99999");

        var configuration = ConfigurationLoader.Load(new([], [], _directory.Path));

        Assert.Equal(["Proxy:Pairs:0:Backup: '10.0.0.1:99999' is not host:port (port 1-65535)"], configuration.Lines());
    }

    private void Set(string name, string value)
    {
        _variables.Add(name);
        Environment.SetEnvironmentVariable(name, value);
    }
}
