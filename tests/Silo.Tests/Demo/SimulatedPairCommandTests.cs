using System.Net;
using System.Text.Json;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.Demo;

public sealed class SimulatedPairCommandTests
{
    [Theory]
    [InlineData("--backup", "127.0.0.1:5081")]
    [InlineData("--primary", "127.0.0.1:5080", "--backup", "nowhere")]
    [InlineData("--primary", "127.0.0.1:5080", "--backup", "127.0.0.1:5081", "--standby", "grumpy")]
    [InlineData("--primary", "127.0.0.1:5080", "--backup", "127.0.0.1:5081", "--death", "slowly")]
    [InlineData("--primary", "127.0.0.1:5080", "--backup", "127.0.0.1:5081", "--die-after", "soon")]
    [InlineData("--primary", "127.0.0.1:5080", "--backup", "127.0.0.1:5081", "--announce", "options")]
    [InlineData("--primary", "127.0.0.1:5080", "--backup", "127.0.0.1:5081", "--colour", "red")]
    public async Task RunAsync_BadArguments_OneLineAndExit2(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["simulated-pair", .. args], output, error);

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        var line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("simulated-pair: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FirstInviteThenDeath_ReportsTheTakeoverInJson()
    {
        using var directory = new TempDirectory();
        var report = Path.Combine(directory.Path, "pair.json");
        var primary = FreePort.Udp();
        var backup = FreePort.Udp();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var running = Program.RunAsync(
            ["simulated-pair", "--primary", primary.ToString(), "--backup", backup.ToString(), "--die-after", "0", "--takeover", "0.2", "--death", "close", "--run-for", "3", "--report", report],
            output,
            error);

        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), primary, SimulatedCallerOptions.Default with { HoldTime = TimeSpan.Zero });
        var call = await caller.InviteAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Success, await running);
        Assert.Equal(200, call.InviteStatus);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.String, root.GetProperty("diedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("takeoverAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("firstInviteAfterTakeoverMs").ValueKind);
        Assert.Equal(1, root.GetProperty("invitesAnswered").GetInt32());
        Assert.Equal(0, root.GetProperty("requestsToStandby").GetInt32());
        foreach (var field in new[] { "optionsToStandby", "byesAnswered", "byesForOtherMembersDialogs", "unknownDialog481" })
        {
            Assert.Equal(0, root.GetProperty(field).GetInt32());
        }

        Assert.Equal("dead", root.GetProperty("members").GetProperty("primary").GetProperty("state").GetString());
        Assert.Equal("active", root.GetProperty("members").GetProperty("backup").GetProperty("state").GetString());
    }
}
