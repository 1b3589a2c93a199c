namespace OrleansProxy.Silo.Tests.Demo;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task RunAsync_PrimaryDiesHalfway_ReportsTheDeathTheGapAndTheCalls()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        await Program.RunAsync(["demo", "--calls", "20", "--rate", "20", "--hold", "1"], output, error);

        var text = output.ToString();
        Assert.Contains("PRIMARY DIED at", text, StringComparison.Ordinal);
        Assert.Contains("TAKEOVER: the backup became active", text, StringComparison.Ordinal);
        Assert.Contains("calls placed 20,", text, StringComparison.Ordinal);
        Assert.Contains("how the proxy bridged the gap", text, StringComparison.Ordinal);
    }

    /// <summary>Needs the core of issue 12 (hold while no member serves, switch on evidence): fails against a core that does not hold.</summary>
    [Fact]
    [Trait("Category", "RealisticPair")]
    public async Task RunAsync_PrimaryDiesHalfway_NoCallFailsAndExitsZero()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["demo", "--calls", "40", "--rate", "20"], output, error);

        var text = output.ToString();
        Assert.True(exitCode == ExitCodes.Success, text + error);
        Assert.Contains("PROXY SWITCHED", text, StringComparison.Ordinal);
        Assert.Contains("OK: no call failed", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--calls", "1")]
    [InlineData("--rate", "fast")]
    [InlineData("--hold", "-1")]
    [InlineData("--death", "slowly")]
    [InlineData("--color", "red")]
    public async Task RunAsync_BadSwitch_ExitsWithUsageError(string name, string value)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["demo", name, value], output, error);

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Contains(name, error.ToString(), StringComparison.Ordinal);
    }
}
