using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Cli;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// <c>orleans-proxy demo</c>: everything on loopback. A realistic simulated HA pair (a hot standby that answers
/// 503 until it takes over, 1.5 s after the primary died), the proxy node itself, and a caller whose calls are
/// held across the crash. Exits 0 only when no call failed.
/// </summary>
internal static class DemoCommand
{
    private const string Pair = "main";

    public static Command Create()
    {
        var command = new Command("demo", "Run a realistic simulated HA pair, the proxy and a caller on loopback; the primary dies halfway.");
        var settings = DemoSettings.AddOptions(command);
        command.SetAction((parseResult, _) => UsageFault.Unclaimed(parseResult) is { } fault
            ? Task.FromResult(UsageFault.Report(parseResult, fault))
            : RunAsync(settings(parseResult), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> RunAsync(DemoSettings settings, TextWriter output, TextWriter error)
    {
        var time = TimeProvider.System;
        var report = new DemoReport(output, time);
        using var counters = new ProxyHoldCounters();
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions
        {
            Standby = StandbyBehavior.Refuse503,
            TakeoverDelay = DemoSettings.TakeoverDelay,
        });
        var proxyEndPoint = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
        var configuration = ConfigurationLoader.Load(ConfigurationSources.FromOverrides(ProxyOverrides(proxyEndPoint, pair.Primary.EndPoint, pair.Backup.EndPoint)));
        if (!configuration.IsValid)
        {
            await error.WriteLineAsync(string.Join(Environment.NewLine, configuration.Faults));
            return ExitCodes.Failed;
        }

        await using var app = ProxyHost.Build(configuration);
        await app.StartAsync();
        try
        {
            report.Started(settings, configuration.Settings, proxyEndPoint, pair, app.Urls);
            var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IHaPairGrain>(Pair);
            return await RunScenarioAsync(settings, grain, pair, proxyEndPoint, report, counters, error) ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<bool> RunScenarioAsync(DemoSettings settings, IHaPairGrain grain, SimulatedHaPair pair, IPEndPoint proxy, DemoReport report, ProxyHoldCounters counters, TextWriter error)
    {
        var before = await WaitAsync(grain, status => status.Available && status.Primary.Health == MemberHealth.Serving, TimeSpan.FromSeconds(10));
        report.PairState("before", before);
        if (!before.Available)
        {
            await error.WriteLineAsync("demo: the proxy never saw the primary answer its OPTIONS probes; giving up.");
            return false;
        }

        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), proxy, SimulatedCallerOptions.Default with { HoldTime = settings.Hold });
        var loadDuration = TimeSpan.FromSeconds(settings.Calls / settings.CallsPerSecond);
        var load = caller.RunLoadAsync(settings.Calls, settings.CallsPerSecond, loadDuration + TimeSpan.FromSeconds(1), report.CallCompleted, CancellationToken.None);

        await Task.Delay(loadDuration / 2);
        var died = await pair.KillActiveAsync(settings.Death);
        var diedAt = pair.Report.DiedAt!.Value;
        report.Died(died, diedAt);

        SimulatedServer heir;
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            heir = await pair.WaitForTakeoverAsync(bound.Token);
        }

        report.TookOver(heir, pair.Report);
        var newActive = heir.EndPoint.ToString();
        await WaitAsync(grain, status => status.Active.Address == newActive, TimeSpan.FromSeconds(10));

        var results = await load;
        var final = pair.Report;
        var after = await grain.GetStatus();

        // The switch that stuck: a proxy that switches on transaction failures may have flapped before it.
        var sinceDeath = after.History.Where(record => record.At >= diedAt).ToList();
        report.Switchover(sinceDeath.LastOrDefault(record => record.To == newActive), sinceDeath.Count, final);
        report.FirstInvite(final);
        report.PairState("after", after);
        report.Servers(final);
        report.Bridging(counters);
        return report.Summary(results, final);
    }

    private static string[] ProxyOverrides(IPEndPoint proxy, IPEndPoint primary, IPEndPoint backup) =>
    [
        $"--Proxy:Listen:0=udp://{proxy}",
        $"--Proxy:Pairs:0:Name={Pair}",
        $"--Proxy:Pairs:0:Primary={primary}",
        $"--Proxy:Pairs:0:Backup={backup}",

        // Faster than the shipped defaults, so that a person watching sees the switchover at once.
        "--Proxy:Probe:IntervalMs=200",
        "--Proxy:Probe:TimeoutMs=150",
        "--Proxy:Probe:FastIntervalMs=25",
        "--Proxy:Probe:FailuresToDown=2",
        "--Proxy:Admin:Url=http://127.0.0.1:0",
        $"--Proxy:Cluster:SiloPort={FreeTcpPort()}",
        "--Serilog:MinimumLevel:Default=Warning",
        "--Serilog:MinimumLevel:Override:OrleansProxy.Grains=Information",
        "--Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime=Warning",
    ];

    private static async Task<PairStatus> WaitAsync(IHaPairGrain grain, Func<PairStatus, bool> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var status = await grain.GetStatus();
            if (condition(status) || TimeProvider.System.GetUtcNow() > deadline)
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    // Free a moment ago: the demo must run on a machine where 5060 is taken.
    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
