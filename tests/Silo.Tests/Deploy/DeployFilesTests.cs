using System.Diagnostics;
using System.Text.RegularExpressions;
using OrleansProxy.Silo.Tests.Cli;
using OrleansProxy.Silo.Tests.Hosting;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Deploy;

/// <summary>The container image, the systemd unit and the example configuration.</summary>
[Collection(ExternalProcesses.Name)]
public sealed partial class DeployFilesTests
{
    private static readonly string Dockerfile = RepositoryFiles.PathOf("deploy", "docker", "Dockerfile");

    [Fact]
    public void Dockerfile_RuntimeStage_OfficialAspNetBaseAsNonRootUser()
    {
        var text = File.ReadAllText(Dockerfile);

        Assert.Equal(
            ["mcr.microsoft.com/dotnet/sdk:10.0 AS build", "mcr.microsoft.com/dotnet/aspnet:10.0"],
            FromLine().Matches(text).Select(m => m.Groups[1].Value.Trim()));
        Assert.Contains("USER $APP_UID", text, StringComparison.Ordinal);
        Assert.Contains("COPY --from=build /app/publish .", text, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/orleans-proxy.dll\"]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dockerfile_PublishStep_OutputRunsCheckConfig()
    {
        var publish = PublishLine().Match(await File.ReadAllTextAsync(Dockerfile));
        Assert.True(publish.Success, "the Dockerfile has a 'RUN dotnet publish ... -o DIR' step");
        using var output = new TempDirectory();
        string[] args = [.. publish.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o", output.Path];

        var (publishExit, publishLog) = await RunDotnetAsync(RepositoryFiles.Root, TimeSpan.FromMinutes(10), ["publish", .. args]);
        Assert.True(publishExit == 0, publishLog);
        Assert.True(File.Exists(Path.Combine(output.Path, "orleans-proxy.dll")), "the image's entry point is published");
        Assert.True(File.Exists(Path.Combine(output.Path, "appsettings.json")), "appsettings.json is published");

        var example = RepositoryFiles.PathOf("deploy", "examples", "proxy.json");
        var (checkExit, checkLog) = await RunDotnetAsync(output.Path, TimeSpan.FromMinutes(2), [Path.Combine(output.Path, "orleans-proxy.dll"), "check-config", example]);
        Assert.True(checkExit == 0, checkLog);
        Assert.Contains(": ok (2 pair(s)", checkLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proxy.json", "2 pair(s)")]
    [InlineData("multi-site.json", "3 pair(s)")]
    public async Task ExampleConfiguration_CheckConfig_Accepted(string example, string pairs)
    {
        var (exitCode, output, error) = await CliCommandTests.RunAsync("check-config", RepositoryFiles.PathOf("deploy", "examples", example));

        Assert.True(exitCode == ExitCodes.Success, output + error);
        Assert.Contains(pairs, output, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemdUnit_Service_ChecksTheConfigurationThenRunsIt()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("deploy", "systemd", "orleans-proxy.service"));

        Assert.Contains("ExecStartPre=/opt/orleans-proxy/orleans-proxy check-config /etc/orleans-proxy/proxy.json", lines);
        Assert.Contains(lines, l => l.StartsWith("ExecStart=/opt/orleans-proxy/orleans-proxy run --config /etc/orleans-proxy/proxy.json", StringComparison.Ordinal));
        Assert.Contains("KillSignal=SIGTERM", lines);
        Assert.Contains("DynamicUser=yes", lines);
        Assert.Contains("WantedBy=multi-user.target", lines);
    }

    [GeneratedRegex(@"^FROM\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^RUN dotnet publish (.+?) -o \S+\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishLine();

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(string workingDirectory, TimeSpan timeout, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Builds started by a test must not linger as shared build servers after it.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
