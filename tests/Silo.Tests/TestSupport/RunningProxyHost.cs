using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains.Probing;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A started proxy host on loopback: a free silo port, the admin API on a port Kestrel picks,
/// and <see cref="FakeMemberProber"/> in place of real OPTIONS probes.
/// </summary>
internal sealed class RunningProxyHost : IAsyncDisposable
{
    private RunningProxyHost(WebApplication app, ProxySettings settings, FakeMemberProber prober)
    {
        App = app;
        Settings = settings;
        Prober = prober;
        Admin = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public ProxySettings Settings { get; }

    public FakeMemberProber Prober { get; }

    public HttpClient Admin { get; }

    /// <param name="args">Command-line overrides on top of the shipped appsettings.json.</param>
    public static async Task<RunningProxyHost> StartAsync(FakeMemberProber prober, params string[] args)
    {
        string[] loopback =
        [
            "--Proxy:Admin:Url=http://127.0.0.1:0",
            $"--Proxy:Listen:0=udp://{FreePort.Udp()}",
            $"--Proxy:Cluster:SiloPort={FreePort.Tcp()}",
            "--Serilog:MinimumLevel:Default=Warning",
        ];
        var configuration = ConfigurationLoader.Load(ConfigurationSources.FromOverrides([.. loopback, .. args]));
        Assert.True(configuration.IsValid, string.Join(Environment.NewLine, configuration.Faults));

        var app = ProxyHost.Build(configuration, services => services.AddSingleton<IMemberProber>(prober));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new RunningProxyHost(app, configuration.Settings, prober);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
