using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>
/// One running node for the operations tests (metrics, status page, CLI, browser). Each test that switches a
/// pair over owns that pair: "red" is only read, "blue" is switched by the metrics test, "green" by the CLI,
/// "amber" by the browser test; "dark" has both members silent, so it is unavailable.
/// </summary>
public sealed class OpsNodeFixture : IAsyncLifetime
{
    private RunningProxyHost? _host;

    internal RunningProxyHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public Uri AdminUrl => Host.Admin.BaseAddress!;

    public async Task InitializeAsync()
    {
        var prober = new FakeMemberProber();
        prober.Silence("127.0.0.1:7240");
        prober.Silence("127.0.0.1:7241");
        _host = await RunningProxyHost.StartAsync(
            prober,
            "--Proxy:Probe:IntervalMs=100",
            "--Proxy:Probe:TimeoutMs=50",
            "--Proxy:Probe:FastIntervalMs=50",
            "--Proxy:Probe:FailuresToDown=2",
            "--Proxy:Pairs:0:Name=red",
            "--Proxy:Pairs:0:Primary=127.0.0.1:7200",
            "--Proxy:Pairs:0:Backup=127.0.0.1:7201",
            "--Proxy:Pairs:1:Name=blue",
            "--Proxy:Pairs:1:Primary=127.0.0.1:7210",
            "--Proxy:Pairs:1:Backup=127.0.0.1:7211",
            "--Proxy:Pairs:2:Name=green",
            "--Proxy:Pairs:2:Primary=127.0.0.1:7220",
            "--Proxy:Pairs:2:Backup=127.0.0.1:7221",
            "--Proxy:Pairs:3:Name=amber",
            "--Proxy:Pairs:3:Primary=127.0.0.1:7230",
            "--Proxy:Pairs:3:Backup=127.0.0.1:7231",
            "--Proxy:Pairs:4:Name=dark",
            "--Proxy:Pairs:4:Primary=127.0.0.1:7240",
            "--Proxy:Pairs:4:Backup=127.0.0.1:7241");
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await Host.Admin.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
