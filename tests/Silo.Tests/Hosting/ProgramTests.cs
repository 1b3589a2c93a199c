using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>The command line, in-process; configuration comes from the shipped appsettings.json plus the arguments.</summary>
public sealed class ProgramTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("run", "--help")]
    public async Task RunAsync_Help_PrintsUsageAndSucceeds(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("Proxy:Pairs:N:Primary", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task RunAsync_UnknownVerb_UsageOnStandardErrorAndExitCode2()
    {
        var (exitCode, output, error) = await RunAsync("frobnicate");

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("unknown verb 'frobnicate'", error, StringComparison.Ordinal);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("run")]
    public async Task RunAsync_BadConfiguration_OneLinePerFaultAndExitCode2(params string[] verb)
    {
        var (exitCode, output, error) = await RunAsync(
            [.. verb, "--Proxy:Probe:IntervalMs=abc", "--Proxy:Pairs:0:Primary=10.0.0.1:99999", "--Proxy:Listen:0=tls://127.0.0.1:5061"]);

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        Assert.Equal(
            [
                "config error: Proxy:Probe:IntervalMs: 'abc' is not a whole number",
                "config error: Proxy:Listen:0: 'tls://127.0.0.1:5061' needs Proxy:Tls:Certificate and Proxy:Tls:PrivateKey (PEM files)",
                "config error: Proxy:Pairs:0:Primary: '10.0.0.1:99999' is not host:port (port 1-65535)",
            ],
            error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task RunAsync_OverrideWithItsValueApart_ReachesTheConfiguration()
    {
        var (exitCode, output, error) = await RunAsync("--Proxy:Probe:IntervalMs", "abc");

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        Assert.Equal("config error: Proxy:Probe:IntervalMs: 'abc' is not a whole number", error.Trim());
    }

    [Fact]
    public async Task RunAsync_OptionWithoutItsValue_OneLineNamingTheOptionAndExitCode2()
    {
        var (exitCode, output, error) = await RunAsync("run", "--config");

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("run: ", line, StringComparison.Ordinal);
        Assert.Contains("--config", line, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Program.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
