using OrleansProxy.Silo.Tests.Admin;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Cli;

/// <summary>The status, switchover and routes verbs against a running node, as an operator types them.</summary>
public sealed class CliCommandTests(OpsNodeFixture fixture) : IClassFixture<OpsNodeFixture>
{
    [Fact]
    public async Task Routes_NoSample_SiteDefaultAndEmptyRules()
    {
        var (exitCode, output, error) = await RunAsync("routes", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal((ExitCodes.Success, string.Empty), (exitCode, error));
        Assert.StartsWith("site: none, default pair: red\nrules: none\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_SampleNamingAMember_ForwardedToItsPair()
    {
        var (exitCode, output, error) = await RunAsync("routes", "sip:alice@127.0.0.1:7200", "203.0.113.5", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal((ExitCodes.Success, string.Empty), (exitCode, error));
        Assert.Contains(
            "sip:alice@127.0.0.1:7200 from 203.0.113.5:5060 (userAgent) on udp://",
            output,
            StringComparison.Ordinal);
        Assert.Contains(": forwarded to 127.0.0.1:7200 over udp, pair red: the next hop is a member of pair red", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_BadSource_FailsWithTheApisMessage()
    {
        var (exitCode, _, error) = await RunAsync("routes", "sip:alice@127.0.0.1", "nowhere", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal("source 'nowhere' is not IP[:port]", error.Trim());
    }

    [Fact]
    public async Task Status_NodeRunning_TableWithEveryPairAndItsActiveMember()
    {
        await Eventually.Satisfies(
            () => fixture.GetTextAsync("/api/pairs/red"),
            t => !t.Contains("\"health\":\"Unknown\"", StringComparison.Ordinal),
            "red's members probed");

        var (exitCode, output, error) = await RunAsync("status", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal((ExitCodes.Success, string.Empty), (exitCode, error));
        var redRow = Assert.Single(output.Split('\n'), line => line.Contains(" red ", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1:7200 (primary)", redRow, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:7201 serving 1.0 ms", redRow, StringComparison.Ordinal);
        Assert.Contains("none", redRow, StringComparison.Ordinal);
        foreach (var pair in new[] { "blue", "green", "amber", "dark" })
        {
            Assert.Contains($" {pair} ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Switchover_KnownPair_BackupActiveAndStatusShowsIt()
    {
        await Eventually.Satisfies(
            () => fixture.GetTextAsync("/api/pairs/green"),
            t => !t.Contains("\"health\":\"Unknown\"", StringComparison.Ordinal),
            "green's members probed");

        var (exitCode, output, error) = await RunAsync("switchover", "green", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal((ExitCodes.Success, string.Empty), (exitCode, error));
        Assert.Equal("pair green: 127.0.0.1:7221 (backup) is now active", output.Trim());
        var (_, status, _) = await RunAsync("status", "--admin", fixture.AdminUrl.ToString());
        var greenRow = Assert.Single(status.Split('\n'), line => line.Contains(" green ", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1:7221 (backup)", greenRow, StringComparison.Ordinal);
        Assert.Contains("to 127.0.0.1:7221 (Manual)", greenRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switchover_UnknownPair_ExitCode1AndNamesThePair()
    {
        var (exitCode, output, error) = await RunAsync("switchover", "nosuch", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal((ExitCodes.Failed, string.Empty), (exitCode, output));
        Assert.Equal("switchover of pair 'nosuch' failed: unknown pair 'nosuch'", error.Trim());
    }

    [Fact]
    public async Task Status_NothingListening_ExitCode1AndSaysSo()
    {
        var address = $"http://127.0.0.1:{FreePort.Tcp()}/";

        var (exitCode, output, error) = await RunAsync("status", "--admin", address);

        Assert.Equal((ExitCodes.Failed, string.Empty), (exitCode, output));
        Assert.StartsWith($"cannot reach orleans-proxy at {address} (", error, StringComparison.Ordinal);
        Assert.Contains("is it running?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switchover_NoPairName_BadUsage()
    {
        var (exitCode, _, error) = await RunAsync("switchover", "--admin", fixture.AdminUrl.ToString());

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Contains("exactly one pair name", error, StringComparison.Ordinal);
    }

    internal static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Program.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
