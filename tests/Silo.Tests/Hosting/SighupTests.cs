using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>The executable as a service manager reloads it: SIGHUP after the --config file was rewritten.</summary>
[Collection(ExternalProcesses.Name)]
public sealed class SighupTests
{
    [SkippableFact]
    public async Task Sighup_FileRewritten_ReloadsAndLogsIt_BadFileLogsItsFaultsAndTheNodeRunsOn()
    {
        // A process tree started under nohup ignores SIGHUP, the node it starts inherits that, and the runtime keeps
        // an ignored signal ignored: there is nothing to test then.
        Skip.If(SighupIgnoredHere(), "SIGHUP is ignored in this process tree (started under nohup?); the node would inherit that.");
        using var directory = new TempDirectory();
        var listen = FreePort.Udp();
        var configFile = directory.Write("proxy.json", Configuration(listen, withSecondPair: false));
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "orleans-proxy.dll"),
                "--log-format", "json",
                "--config", configFile,
                "--Proxy:Admin:Url=http://127.0.0.1:0",
                $"--Proxy:Cluster:SiloPort={FreePort.Tcp()}",
                "--Proxy:Shutdown:DrainMs=500",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var lines = new ConcurrentQueue<string>();
        var reading = ReadLinesAsync(process.StandardOutput, lines);
        var error = process.StandardError.ReadToEndAsync();
        JsonElement applied;
        JsonElement refused;
        try
        {
            await WaitForEventAsync(lines, "Application started");

            File.WriteAllText(configFile, Configuration(listen, withSecondPair: true));
            await SignalAsync("HUP", process);
            applied = await WaitForEventAsync(lines, "Configuration reloaded ({TriggeredBy})");

            File.WriteAllText(configFile, "{ \"Proxy\": { \"Probe\": { \"IntervalMs\": \"often\" } } }");
            await SignalAsync("HUP", process);
            refused = await WaitForEventAsync(lines, "Configuration reload ({TriggeredBy}) refused");

            Assert.False(process.HasExited, "SIGHUP must not end the node");
            await SignalAsync("TERM", process);
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
        Assert.Equal("SIGHUP", applied.GetProperty("TriggeredBy").GetString());
        Assert.Equal("second", applied.GetProperty("Added").GetString());
        Assert.Equal("SIGHUP", refused.GetProperty("TriggeredBy").GetString());
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("@mt").GetString() == "config error: {Fault}"
            && e.GetProperty("Fault").GetString()!.StartsWith("Proxy:Probe:IntervalMs: ", StringComparison.Ordinal));
    }

    // Bit 0 of the SigIgn mask in /proc/self/status is SIGHUP.
    private static bool SighupIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 1) != 0;
    }

    private static string Configuration(System.Net.IPEndPoint listen, bool withSecondPair)
    {
        var second = withSecondPair ? $", {{ \"Name\": \"second\", \"Primary\": \"127.0.0.1:{FreePort.Udp().Port}\", \"Backup\": \"127.0.0.1:{FreePort.Udp().Port}\" }}" : string.Empty;
        return $$"""
            { "Proxy": {
                "Listen": [ "udp://{{listen}}" ],
                "Pairs": [ { "Name": "main", "Primary": "127.0.0.1:{{FreePort.Udp().Port}}", "Backup": "127.0.0.1:{{FreePort.Udp().Port}}" }{{second}} ] } }
            """;
    }

    private static async Task SignalAsync(string signal, Process process)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static async Task<JsonElement> WaitForEventAsync(ConcurrentQueue<string> lines, string templateStart)
    {
        // The node's last lines ride along, so that a wait that fails says what the node was doing.
        var found = await Eventually.Satisfies(
            () => Task.FromResult((Line: lines.FirstOrDefault(line => line.Contains($"\"@mt\":\"{templateStart}", StringComparison.Ordinal)), Tail: string.Join(Environment.NewLine, lines.TakeLast(10)))),
            seen => seen.Line is not null,
            $"the event '{templateStart}'",
            TimeSpan.FromSeconds(120));
        return JsonDocument.Parse(found.Line!).RootElement.Clone();
    }

    private static async Task ReadLinesAsync(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Enqueue(line);
        }
    }
}
