using System.Diagnostics;
using System.Globalization;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Bench;

/// <summary>
/// Runs bench/run.sh end to end with a few calls per step, against both proxies, so that the benchmark cannot rot:
/// every scenario (soak, capacity ladder over UDP and TCP, failover by freeze and by kill) and the report must still work.
/// The proxy is the orleans-proxy built beside this test; the real benchmark publishes its own.
/// </summary>
public sealed class BenchScriptSmokeTests
{
    private static readonly TimeSpan ScriptTimeLimit = TimeSpan.FromMinutes(8);

    [SkippableFact]
    public async Task RunScript_EveryScenarioBriefly_WritesTheComparisonForBothProxies()
    {
        Skip.IfNot(IsOnPath("sipp"), "sipp is not installed (Debian package sip-tester).");
        Skip.IfNot(IsOnPath("kamailio"), "kamailio is not installed (Debian package kamailio).");
        using var work = new TempDirectory();
        var results = Path.Combine(work.Path, "results");

        var (exitCode, output) = await RunBenchAsync(work.Path, results);

        Assert.True(exitCode == 0, $"bench/run.sh exited {exitCode}:\n{output}");
        // The script names the results <date>-<machine>.md, the raw statistics the same without .md.
        var reportFile = Assert.Single(Directory.GetFiles(results, "*-smoke.md"));
        var report = File.ReadAllText(reportFile);
        Assert.Contains("| figure | OrleansProxy | Kamailio | ratio |", report, StringComparison.Ordinal);
        Assert.Contains("## Machine and load", report, StringComparison.Ordinal);
        var raw = Path.ChangeExtension(reportFile, null);
        Assert.Contains("| proxy | figure | UDP | TCP | TCP/UDP |", report, StringComparison.Ordinal);
        foreach (var kind in new[] { "orleans", "kamailio" })
        {
            foreach (var transport in new[] { "udp", "tcp" })
            {
                Assert.True(
                    SuccessfulCalls(Path.Combine(raw, "capacity.tsv"), kind, transport) > 0,
                    $"no successful capacity call through {kind} over {transport}:\n{report}");
            }
        }

        var failover = File.ReadAllLines(Path.Combine(raw, "failover.tsv"));
        Assert.Equal(4, failover.Length);
        Assert.All(failover, row => Assert.True(
            int.Parse(row.Split('\t')[3], CultureInfo.InvariantCulture) > 0,
            $"a failover run completed no call: {row}"));
        Assert.True(File.Exists(Path.Combine(raw, "soak.tsv")), report);
    }

    private static async Task<(int ExitCode, string Output)> RunBenchAsync(string work, string results)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "bench", "run.sh"));
        var environment = new Dictionary<string, string>
        {
            ["INSTALL"] = "0",
            ["PROXY_CMD"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "orleans-proxy.dll")}",
            ["RUN_DIR"] = Path.Combine(work, "run"),
            ["OUT_DIR"] = results,
            ["MACHINE"] = "smoke",
            ["TRANSPORTS"] = "udp tcp",
            ["RATES"] = "20 40",
            ["STEP_SECONDS"] = "2",
            ["WARMUP_RATE"] = "10",
            ["WARMUP_SECONDS"] = "1",
            ["SOAK_RATE"] = "20",
            ["SOAK_SECONDS"] = "2",
            ["FAILOVER_RATE"] = "20",
            ["FAILOVER_SECONDS"] = "6",
            ["KAMAILIO_CHILDREN"] = "2",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptTimeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // The script stops what it started on exit; killing the tree covers a script that hung.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    // A capacity row: proxy kind first, successful calls fifth, the transport last (column 17).
    private static long SuccessfulCalls(string capacityRows, string kind, string transport)
    {
        long total = 0;
        foreach (var row in File.ReadAllLines(capacityRows))
        {
            var columns = row.Split('\t');
            if (columns[0] == kind && columns[16] == transport)
            {
                total += long.Parse(columns[4], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "bench", "run.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no bench/run.sh above {AppContext.BaseDirectory}");
    }

    private static bool IsOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Any(directory => File.Exists(Path.Combine(directory, executable)));
}
