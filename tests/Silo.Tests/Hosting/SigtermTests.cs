using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>The executable as a service manager runs it: JSON logs on stdout, SIGTERM for a clean stop.</summary>
[Collection(ExternalProcesses.Name)]
public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_RunningWithJsonLogs_DrainsLogsJsonEventsAndExits0()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "orleans-proxy.dll"),
                "--log-format", "json",
                $"--Proxy:Listen:0=udp://{FreePort.Udp()}",
                "--Proxy:Admin:Url=http://127.0.0.1:0",
                $"--Proxy:Cluster:SiloPort={FreePort.Tcp()}",
                "--Proxy:Shutdown:DrainMs=1000",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var lines = new ConcurrentQueue<string>();
        var reading = ReadLinesAsync(process.StandardOutput, lines);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.Satisfies(
                () => Task.FromResult(lines.Any(line => line.Contains("Application started", StringComparison.Ordinal))),
                started => started,
                "the node's 'Application started' event",
                TimeSpan.FromSeconds(120));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(stopTimeout.Token);
            await reading;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await error}");
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _), "every line is a compact JSON event"));
        var pairStarted = Assert.Single(events, e => e.GetProperty("@mt").GetString()!.StartsWith("Pair {Pair} started", StringComparison.Ordinal));
        Assert.Equal("main", pairStarted.GetProperty("Pair").GetString());
        Assert.Contains(events, e => e.GetProperty("@mt").GetString()!.StartsWith("Drained", StringComparison.Ordinal));
    }

    private static async Task ReadLinesAsync(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Enqueue(line);
        }
    }
}
