using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>
/// One running host for the admin tests. Each test owns a pair so that a switchover in one
/// test never shows in another: "alpha" is only read, "swing" is switched over, "lonely"
/// has a silent backup, "idle" is never asked for at all. Routing: this instance is on site
/// "berlin" with alpha and swing, "lonely" is on "hamburg", one domain rule and one static route.
/// </summary>
public sealed class AdminApiFixture : IAsyncLifetime
{
    public const string SilentMember = "127.0.0.1:7081";

    private RunningProxyHost? _host;

    internal RunningProxyHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync()
    {
        var prober = new FakeMemberProber();
        prober.Silence(SilentMember);
        _host = await RunningProxyHost.StartAsync(
            prober,
            "--Proxy:Probe:IntervalMs=100",
            "--Proxy:Probe:TimeoutMs=50",
            "--Proxy:Probe:FastIntervalMs=50",
            "--Proxy:Probe:FailuresToDown=2",
            "--Proxy:Pairs:0:Name=alpha",
            "--Proxy:Pairs:0:Primary=127.0.0.1:7060",
            "--Proxy:Pairs:0:Backup=127.0.0.1:7061",
            "--Proxy:Pairs:1:Name=swing",
            "--Proxy:Pairs:1:Primary=127.0.0.1:7070",
            "--Proxy:Pairs:1:Backup=127.0.0.1:7071",
            "--Proxy:Pairs:2:Name=lonely",
            "--Proxy:Pairs:2:Primary=127.0.0.1:7080",
            $"--Proxy:Pairs:2:Backup={SilentMember}",
            "--Proxy:Pairs:3:Name=idle",
            "--Proxy:Pairs:3:Primary=127.0.0.1:7090",
            "--Proxy:Pairs:3:Backup=127.0.0.1:7091",
            "--Proxy:Site=berlin",
            "--Proxy:Pairs:0:Site=berlin",
            "--Proxy:Pairs:1:Site=berlin",
            "--Proxy:Pairs:2:Site=hamburg",
            "--Proxy:Routing:Rules:0:Domain=lonely.example.com",
            "--Proxy:Routing:Rules:0:Pair=lonely",
            "--Proxy:Routing:TrustedNetworks:0=192.0.2.0/24",
            "--Proxy:Routing:StaticRoutes:0:Domain=carrier.example.net",
            "--Proxy:Routing:StaticRoutes:0:Target=tcp://127.0.0.1:7099");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
