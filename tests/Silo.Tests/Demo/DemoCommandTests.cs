namespace OrleansProxy.Silo.Tests.Demo;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task RunAsync_PrimaryCrashesHalfway_ReportsTheSwitchoverAndSucceeds()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["demo", "--calls", "40", "--rate", "20"], output, error);

        var text = output.ToString();
        Assert.True(exitCode == ExitCodes.Success, text + error);
        Assert.Contains("SWITCHOVER detected", text, StringComparison.Ordinal);
        Assert.Contains("calls placed 40,", text, StringComparison.Ordinal);
        Assert.Contains("OK: every call after the switchover succeeded", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--calls", "1")]
    [InlineData("--rate", "fast")]
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
