using System.Diagnostics;
using System.Globalization;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Bench;

/// <summary>
/// Runs bench/run.sh end to end with a few calls per step, against both proxies, so that the benchmark cannot rot:
/// every scenario (soak, capacity ladder over UDP and TCP, capacity held, a fresh node's first step, twice the capacity
/// offered, a junk flood, failover by freeze and by kill; the takeover of a hot-standby pair in a run of its own) and the
/// report must still work, and every script must parse (bash -n).
/// The proxy is the orleans-proxy built beside this test; the real benchmark publishes its own.
/// </summary>
public sealed class BenchScriptSmokeTests
{
    private static readonly TimeSpan ScriptTimeLimit = TimeSpan.FromMinutes(8);

    private static readonly string[] StressTables =
        ["## The ladder side by side", "## Capacity held for 2s", "## A fresh node's first step", "## Twice the capacity offered", "## A junk flood beside real calls"];

    private static readonly string[] StressRows = ["sustained.tsv", "cold.tsv", "overload.tsv", "junk.tsv"];

    [SkippableFact]
    public async Task RunScript_EveryScenarioBriefly_WritesTheComparisonForBothProxies()
    {
        Skip.IfNot(IsOnPath("sipp"), "sipp is not installed (Debian package sip-tester).");
        Skip.IfNot(IsOnPath("kamailio"), "kamailio is not installed (Debian package kamailio).");
        Skip.IfNot(IsOnPath("python3"), "python3 is not installed: the junk flood is bench/lib/junk.py.");
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

        foreach (var table in StressTables)
        {
            Assert.Contains(table, report, StringComparison.Ordinal);
        }

        // Every stress scenario ran both proxies and completed calls through each.
        Assert.All(StressRows, file =>
        {
            var rows = File.ReadAllLines(Path.Combine(raw, file));
            Assert.Contains(rows, row => row.StartsWith("orleans\t", StringComparison.Ordinal));
            Assert.Contains(rows, row => row.StartsWith("kamailio\t", StringComparison.Ordinal));
        });
        var junk = File.ReadAllLines(Path.Combine(raw, "junk.tsv"));
        Assert.All(junk, row => Assert.True(
            int.Parse(row.Split('\t')[1], CultureInfo.InvariantCulture) > 0 && int.Parse(row.Split('\t')[3], CultureInfo.InvariantCulture) > 0,
            $"the junk flood sent nothing or no call completed beside it: {row}"));
    }

    [SkippableFact]
    public async Task BashSyntax_EveryBenchScript_Parses()
    {
        Skip.IfNot(IsOnPath("bash"), "bash is not installed.");
        var bench = Path.Combine(RepositoryRoot(), "bench");
        var scripts = Directory.GetFiles(Path.Combine(bench, "lib"), "*.sh").Concat(Directory.GetFiles(bench, "*.sh"));
        foreach (var script in scripts)
        {
            var (exitCode, output) = await RunAsync("bash", ["-n", script], new Dictionary<string, string>(), TimeSpan.FromSeconds(20));
            Assert.True(exitCode == 0, $"bash -n {script} exited {exitCode}:\n{output}");
        }
    }

    /// <summary>
    /// bench/coldstart.sh, one run at a few calls a second: the node's first answer and first call are timed from its
    /// start, and the calls' latencies are read back from sipp.
    /// </summary>
    [SkippableFact]
    public async Task ColdStartScript_OneBriefRun_TimesTheFirstAnswerAndTheCalls()
    {
        Skip.IfNot(IsOnPath("sipp"), "sipp is not installed (Debian package sip-tester).");
        Skip.IfNot(IsOnPath("python3"), "python3 is not installed.");
        using var work = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["PROXY_CMD"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "orleans-proxy.dll")}",
            ["RUN_DIR"] = Path.Combine(work.Path, "run"),
            ["RUNS"] = "1",
            ["RATE"] = "20",
            ["SECONDS_OF_LOAD"] = "8",
        };

        var (exitCode, output) = await RunAsync("bash", [Path.Combine(RepositoryRoot(), "bench", "coldstart.sh")], environment, ScriptTimeLimit, work.Path);

        Assert.True(exitCode == 0, $"bench/coldstart.sh exited {exitCode}:\n{output}");
        var row = Assert.Single(output.Split('\n'), line => line.StartsWith("1\t", StringComparison.Ordinal)).Split('\t');
        Assert.True(int.Parse(row[1], CultureInfo.InvariantCulture) > 0, $"no first answer:\n{output}");
        Assert.True(int.Parse(row[3], CultureInfo.InvariantCulture) > 0, $"no first call:\n{output}");
        Assert.True(int.Parse(row[6].Split('/')[^1], CultureInfo.InvariantCulture) > 0, $"no call answered:\n{output}");
    }

    /// <summary>
    /// bench/wakeups.sh briefly at a few calls a second: the node's CPU per call and its context switches per call by
    /// thread name are read back (perf's wake-ups only where perf is installed).
    /// </summary>
    [SkippableFact]
    public async Task WakeupsScript_BriefRun_ReportsCpuAndSwitchesPerCall()
    {
        Skip.IfNot(IsOnPath("sipp"), "sipp is not installed (Debian package sip-tester).");
        using var work = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["PROXY_CMD"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "orleans-proxy.dll")}",
            ["RUN_DIR"] = Path.Combine(work.Path, "run"),
            ["RATE"] = "20",
            ["WARM_SECONDS"] = "1",
            ["SECONDS_MEASURED"] = "4",
            ["PERF_SECONDS"] = "1",
        };

        var (exitCode, output) = await RunAsync("bash", [Path.Combine(RepositoryRoot(), "bench", "wakeups.sh")], environment, ScriptTimeLimit, work.Path);

        Assert.True(exitCode == 0, $"bench/wakeups.sh exited {exitCode}:\n{output}");
        Assert.Matches(@"\d+ calls; proxy CPU \d+\.\d{3} s per 1000 calls", output);
        Assert.Matches(@"\d+\.\d{2}  \(all threads\)", output);
        Assert.Contains("SIP UDP receive", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The takeover scenario, one case (503 standby, closed port) for a few seconds against both proxies: the
    /// pair's report is read, the takeover table is written, and every call the proxies completed is counted.
    /// </summary>
    [SkippableFact]
    public async Task RunScript_TakeoverBriefly_WritesTheTakeoverTableForBothProxies()
    {
        Skip.IfNot(IsOnPath("sipp"), "sipp is not installed (Debian package sip-tester).");
        Skip.IfNot(IsOnPath("kamailio"), "kamailio is not installed (Debian package kamailio).");
        Skip.IfNot(IsOnPath("jq"), "jq is not installed (the script reads the pair's JSON report with it).");
        using var work = new TempDirectory();
        var results = Path.Combine(work.Path, "results");

        var (exitCode, output) = await RunBenchAsync(work.Path, results, new Dictionary<string, string>
        {
            ["SCENARIOS"] = "takeover",
            ["TAKEOVER_RATE"] = "10",
            ["TAKEOVER_SECONDS"] = "2",
            ["TAKEOVER_CALL_HOLD_S"] = "1",
            ["TAKEOVER_DIE_AFTER_S"] = "1",
            ["TAKEOVER_DELAY_S"] = "0",
            ["TAKEOVER_STANDBYS"] = "503",
            ["TAKEOVER_DEATHS"] = "close",
        });

        Assert.True(exitCode == 0, $"bench/run.sh exited {exitCode}:\n{output}");
        var reportFile = Assert.Single(Directory.GetFiles(results, "*-smoke.md"));
        var report = File.ReadAllText(reportFile);
        Assert.Contains("## Takeover of a hot-standby pair", report, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(Path.ChangeExtension(reportFile, null), "takeover.tsv"));
        Assert.Equal(["orleans", "kamailio"], rows.Select(row => row.Split('\t')[2]));
        // Columns: standby, death, proxy, total calls, successful, failed, takeover to first INVITE (ms), ...
        Assert.All(rows, row => Assert.True(
            int.Parse(row.Split('\t')[4], CultureInfo.InvariantCulture) > 0,
            $"a takeover case completed no call: {row}\n{report}"));
    }

    private static Task<(int ExitCode, string Output)> RunBenchAsync(string work, string results) =>
        RunBenchAsync(work, results, new Dictionary<string, string>());

    private static async Task<(int ExitCode, string Output)> RunBenchAsync(
        string work, string results, IReadOnlyDictionary<string, string> overrides)
    {
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
            ["SUSTAINED_SECONDS"] = "2",
            ["COLD_RATE"] = "20",
            ["COLD_SECONDS"] = "2",
            ["OVERLOAD_SECONDS"] = "2",
            ["JUNK_RATE"] = "500",
            ["JUNK_CALL_RATE"] = "20",
            ["JUNK_SECONDS"] = "2",
            ["KAMAILIO_CHILDREN"] = "2",
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return await RunAsync("bash", [Path.Combine(RepositoryRoot(), "bench", "run.sh")], environment, ScriptTimeLimit, work);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IEnumerable<string> arguments, Dictionary<string, string> environment, TimeSpan timeLimit, string? directory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory ?? AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeLimit);
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

    // A capacity row: proxy kind first, successful calls fifth, the transport 17th (the pair switchovers follow it).
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
