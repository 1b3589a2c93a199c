using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Admin;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;
using Serilog;

namespace OrleansProxy.Silo.Tests.Reload;

/// <summary>
/// A whole proxy node started with "--config FILE" from a temporary file that tests rewrite and then reload: the
/// listener, pairs, probing and routing rules all come from the file, so every one of them can change.
/// </summary>
internal sealed class ReloadNode : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private ReloadNode(TempDirectory directory, string configFile, WebApplication app, RecentNodeLog log, IPEndPoint sip)
    {
        _directory = directory;
        ConfigFile = configFile;
        App = app;
        Log = log;
        Sip = sip;
        Admin = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string ConfigFile { get; }

    public WebApplication App { get; }

    public RecentNodeLog Log { get; }

    public IPEndPoint Sip { get; }

    public HttpClient Admin { get; }

    public string AdminUrl => App.Urls.Single();

    public static async Task<ReloadNode> StartAsync(JsonObject configuration)
    {
        var directory = new TempDirectory();
        var file = directory.Write("proxy.json", configuration.ToJsonString());
        string[] overrides =
        [
            "--Proxy:Admin:Url=http://127.0.0.1:0",
            $"--Proxy:Cluster:SiloPort={FreePort.Tcp()}",
            "--Serilog:MinimumLevel:Default=Warning",
        ];
        var loaded = ConfigurationLoader.Load(new([file], overrides, AppContext.BaseDirectory));
        Assert.True(loaded.IsValid, string.Join(Environment.NewLine, loaded.Faults));
        var log = new RecentNodeLog();
        var app = ProxyHost.Build(loaded, services => services.AddSerilog(
            (_, logger) => NodeLogging.Configure(logger, loaded.Configuration, loaded.Settings!.LogFormat).WriteTo.Sink(log),
            preserveStaticLogger: true));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new ReloadNode(directory, file, app, log, loaded.Settings!.Listen[0].EndPoint);
    }

    /// <summary>
    /// A configuration with one UDP listener, fast probing and one pair per entry; each pair but the first (the default)
    /// is reached by calls whose user starts with its prefix.
    /// </summary>
    public static JsonObject Configuration(
        IPEndPoint listen,
        IEnumerable<(string Name, SimulatedHaPair Pair, string UserPrefix)> pairs,
        int probeIntervalMs = 200,
        int failuresToDown = 2)
    {
        var pairList = new JsonArray();
        var rules = new JsonArray();
        foreach (var (name, pair, prefix) in pairs)
        {
            pairList.Add(new JsonObject
            {
                ["Name"] = name,
                ["Primary"] = pair.Primary.EndPoint.ToString(),
                ["Backup"] = pair.Backup.EndPoint.ToString(),
            });
            if (pairList.Count > 1)
            {
                rules.Add(new JsonObject { ["UserPrefix"] = prefix, ["Pair"] = name });
            }
        }

        return new JsonObject
        {
            ["Proxy"] = new JsonObject
            {
                ["Listen"] = new JsonArray($"udp://{listen}"),
                ["Pairs"] = pairList,
                ["Probe"] = new JsonObject
                {
                    ["IntervalMs"] = probeIntervalMs,
                    ["TimeoutMs"] = 150,
                    ["FastIntervalMs"] = 50,
                    ["FailuresToDown"] = failuresToDown,
                },
                ["Routing"] = new JsonObject { ["Rules"] = rules },
            },
        };
    }

    public void Rewrite(JsonObject configuration) => File.WriteAllText(ConfigFile, configuration.ToJsonString());

    public void RewriteText(string text) => File.WriteAllText(ConfigFile, text);

    /// <summary>POST /api/reload: the status code and the reload as the API reports it.</summary>
    public async Task<(HttpStatusCode Status, ReloadDto Reload)> ReloadAsync()
    {
        using var response = await Admin.PostAsync(new Uri("api/reload", UriKind.Relative), content: null);
        var reload = await response.Content.ReadFromJsonAsync(AdminJsonContext.Wire.ReloadDto);
        return (response.StatusCode, reload!);
    }

    public async Task<PairStatusDto[]> GetPairsAsync() =>
        (await Admin.GetFromJsonAsync(new Uri("api/pairs", UriKind.Relative), AdminJsonContext.Wire.PairStatusDtoArray))!;

    public IHaPairGrain Grain(string pair) => App.Services.GetRequiredService<IGrainFactory>().GetGrain<IHaPairGrain>(pair);

    public Task<PairStatus> WaitForPairAsync(string pair, Func<PairStatus, bool> condition, string what) =>
        Eventually.Satisfies(() => Grain(pair).GetStatus(), condition, what, TimeSpan.FromSeconds(30));

    public SimulatedCaller Caller(string user) =>
        SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), Sip, SimulatedCallerOptions.Default with { ServiceUser = user });

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        _directory.Dispose();
    }
}
