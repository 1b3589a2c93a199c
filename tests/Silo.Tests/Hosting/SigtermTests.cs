using System.Diagnostics;
using System.Text.Json;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>The executable as a service manager runs it: JSON logs on stdout, SIGTERM for a clean stop.</summary>
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
        var lines = new List<string>();
        try
        {
            using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(startTimeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("Application started", StringComparison.Ordinal))
                {
                    break;
                }
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var rest = process.StandardOutput.ReadToEndAsync();
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(stopTimeout.Token);
            lines.AddRange((await rest).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, process.ExitCode);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _), "every line is a compact JSON event"));
        var pairStarted = Assert.Single(events, e => e.GetProperty("@mt").GetString()!.StartsWith("Pair {Pair} started", StringComparison.Ordinal));
        Assert.Equal("main", pairStarted.GetProperty("Pair").GetString());
        Assert.Contains(events, e => e.GetProperty("@mt").GetString()!.StartsWith("Drained", StringComparison.Ordinal));
    }
}
