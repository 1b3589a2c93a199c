using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// <c>orleans-proxy demo</c>: everything on loopback. A simulated HA pair (the standby silent to OPTIONS),
/// the proxy node itself, and a user agent placing calls; midway the primary crashes and the backup takes
/// over. Exits 0 when every call placed after the proxy's switchover succeeded.
/// </summary>
internal static class DemoCommand
{
    private const string Pair = "main";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (!DemoSettings.TryParse(args, out var settings, out var fault))
        {
            await error.WriteLineAsync(fault);
            return ExitCodes.BadUsage;
        }

        var time = TimeProvider.System;
        var report = new DemoReport(output, time);
        await using var primary = SimulatedSipServer.Start("primary", new IPEndPoint(IPAddress.Loopback, 0), ServerRole.Active, SimulatedSipServerOptions.Default, NullLogger<SimulatedSipServer>.Instance, time);
        await using var backup = SimulatedSipServer.Start("backup", new IPEndPoint(IPAddress.Loopback, 0), ServerRole.Standby, SimulatedSipServerOptions.Default, NullLogger<SimulatedSipServer>.Instance, time);
        var proxyEndPoint = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
        var configuration = ConfigurationLoader.Load(ProxyArguments(proxyEndPoint, primary.EndPoint, backup.EndPoint), AppContext.BaseDirectory);
        if (!configuration.IsValid)
        {
            await error.WriteLineAsync(string.Join(Environment.NewLine, configuration.Faults));
            return ExitCodes.Failed;
        }

        await using var app = ProxyHost.Build(configuration);
        await app.StartAsync();
        try
        {
            report.Started(settings, configuration.Settings, proxyEndPoint, primary.EndPoint, backup.EndPoint, app.Urls);
            var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IHaPairGrain>(Pair);
            return await RunScenarioAsync(settings, grain, primary, backup, proxyEndPoint, report, error) ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<bool> RunScenarioAsync(DemoSettings settings, IHaPairGrain grain, SimulatedSipServer primary, SimulatedSipServer backup, IPEndPoint proxy, DemoReport report, TextWriter error)
    {
        var time = TimeProvider.System;
        var before = await WaitAsync(grain, status => status.Available && status.Primary.Health == MemberHealth.Serving, TimeSpan.FromSeconds(10));
        report.PairState("before", before);
        if (!before.Available)
        {
            await error.WriteLineAsync("demo: the proxy never saw the primary answer its OPTIONS probes; giving up.");
            return false;
        }

        await using var agent = DemoUserAgent.Bind(new IPEndPoint(IPAddress.Loopback, 0), proxy, DemoUserAgentOptions.Default, NullLogger<DemoUserAgent>.Instance, time);
        var loadDuration = TimeSpan.FromSeconds(settings.Calls / settings.CallsPerSecond);
        var load = agent.RunLoadAsync(settings.Calls, settings.CallsPerSecond, loadDuration + TimeSpan.FromSeconds(1), report.CallCompleted, CancellationToken.None);

        await Task.Delay(loadDuration / 2);
        var crashedAt = time.GetUtcNow();
        primary.Crash();

        // A real standby notices the primary's death over its own HA heartbeat; here it takes over at once,
        // so what the demo measures is the proxy's detection alone.
        backup.Promote();
        report.Crashed(crashedAt);

        var after = await WaitAsync(grain, status => status.History.Any(record => record.At >= crashedAt), TimeSpan.FromSeconds(10));
        var switchover = after.History.LastOrDefault(record => record.At >= crashedAt);
        report.Switchover(switchover, crashedAt);

        var results = await load;
        report.PairState("after", await grain.GetStatus());
        report.Servers(primary, backup);
        return report.Summary(results, crashedAt, switchover);
    }

    private static string[] ProxyArguments(IPEndPoint proxy, IPEndPoint primary, IPEndPoint backup) =>
    [
        $"--Proxy:Listen:0=udp://{proxy}",
        $"--Proxy:Pairs:0:Name={Pair}",
        $"--Proxy:Pairs:0:Primary={primary}",
        $"--Proxy:Pairs:0:Backup={backup}",

        // Faster than the shipped defaults, so that a person watching sees the switchover at once.
        "--Proxy:Probe:IntervalMs=200",
        "--Proxy:Probe:TimeoutMs=150",
        "--Proxy:Probe:FastIntervalMs=50",
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
