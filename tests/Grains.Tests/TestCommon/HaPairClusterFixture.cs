using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansProxy.Grains.Hosting;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>
/// One in-process silo, like one proxy node, with a scriptable prober and a fake catalog.
/// Shared by a test collection; every test adds its own pair so tests cannot disturb each other.
/// </summary>
public sealed class HaPairClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);

    public static readonly ProbeSettings Probe = new(
        Interval: TimeSpan.FromMilliseconds(50),
        Timeout: TimeSpan.FromMilliseconds(30),
        FailuresToDown: 2,
        FastInterval: TimeSpan.FromMilliseconds(20),
        KeepAlivePeriod: TimeSpan.FromSeconds(1));

    private InProcessTestCluster? _cluster;

    public ScriptableProber Prober { get; } = new();

    public FakePairCatalog Catalog { get; } = new();

    public RecordingDownListener DownListener { get; } = new();

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public TestPair AddPair(string name)
    {
        var settings = new HaPairSettings(name, $"{name}.primary:5060", $"{name}.backup:5060", Probe);
        Catalog.Add(settings);
        return new TestPair(name, settings.Primary, settings.Backup, Cluster.Client.GetGrain<IHaPairGrain>(name));
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IMemberProber>(Prober);
            silo.Services.AddSingleton<IHaPairCatalog>(Catalog);
            silo.Services.AddSingleton<IMemberDownListener>(DownListener);
            silo.AddHaPairs(MinimumReminderPeriod);
        });

        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
