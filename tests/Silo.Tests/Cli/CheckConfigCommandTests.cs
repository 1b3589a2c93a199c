using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Cli;

public sealed class CheckConfigCommandTests
{
    [Fact]
    public async Task CheckConfig_ValidFile_ExitCode0AndSummary()
    {
        using var directory = new TempDirectory();
        var file = directory.Write("proxy.json", """
            {
              "Proxy": {
                "Listen": [ "udp://0.0.0.0:5060;advertise=10.0.0.10" ],
                "Pairs": [ { "Name": "main", "Primary": "10.0.1.10:5060", "Backup": "10.0.1.11:5060" } ],
                "Admin": { "Url": "http://0.0.0.0:8060", "LogFormat": "json" },
                "Shutdown": { "DrainMs": 2000 }
              }
            }
            """);

        var (exitCode, output, error) = await CliCommandTests.RunAsync("check-config", file);

        Assert.Equal((ExitCodes.Success, string.Empty), (exitCode, error));
        Assert.Equal($"{file}: ok (1 pair(s), listening on udp://0.0.0.0:5060;advertise=10.0.0.10, admin http://0.0.0.0:8060/)", output.Trim());
    }

    [Fact]
    public async Task CheckConfig_Faults_OneLinePerFaultAndExitCode1()
    {
        using var directory = new TempDirectory();
        var file = directory.Write("proxy.json", """
            {
              "Proxy": {
                "Pairs": [ { "Name": "main", "Primary": "10.0.1.10:5060", "Backup": "10.0.1.10:5060" } ],
                "Admin": { "LogFormat": "xml", "Colour": "blue" },
                "Shutdown": { "DrainMs": -1 }
              }
            }
            """);

        var (exitCode, output, _) = await CliCommandTests.RunAsync("check-config", file);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal(
            [
                "config error: Proxy:Admin:Colour: unknown key (known keys here: Url, LogFormat)",
                "config error: Proxy:Pairs:0:Backup: '10.0.1.10:5060' is the same member as Proxy:Pairs:0:Primary (10.0.1.10:5060)",
                "config error: Proxy:Admin:LogFormat: 'xml' is not text or json",
                "config error: Proxy:Shutdown:DrainMs: -1 is out of range (0-300000)",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task CheckConfig_MissingFile_FaultNamesTheFile()
    {
        var (exitCode, output, _) = await CliCommandTests.RunAsync("check-config", "/nonexistent/proxy.json");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal("config error: --config: file '/nonexistent/proxy.json' does not exist", output.Trim());
    }

    [Fact]
    public async Task CheckConfig_NoFile_BadUsage()
    {
        var (exitCode, _, error) = await CliCommandTests.RunAsync("check-config");

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Contains("exactly one file", error, StringComparison.Ordinal);
    }
}
