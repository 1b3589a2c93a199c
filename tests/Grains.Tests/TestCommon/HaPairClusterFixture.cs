using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using OrleansProxy.Grains.Hosting;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>
/// One in-process silo, like one proxy node, with a scriptable prober, a fake catalog, a recording listener and a
/// test clock that drives the grains' timers and probe time-outs. Shared by a test collection; every test adds its
/// own pair so tests cannot disturb each other, and moves the clock only forward.
/// </summary>
public sealed class HaPairClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>Times on the test clock; the keep-alive reminder runs on real time.</summary>
    public static readonly ProbeSettings Probe = new(
        Interval: TimeSpan.FromSeconds(1),
        Timeout: TimeSpan.FromMilliseconds(300),
        FailuresToDown: 2,
        FastInterval: TimeSpan.FromMilliseconds(100),
        KeepAlivePeriod: TimeSpan.FromSeconds(1));

    private InProcessTestCluster? _cluster;

    public HaPairClusterFixture() => Prober = new ScriptableProber(Clock);

    /// <summary>
    /// The grains' clock. Only grain timers and grain-side delays follow it; the silo's own maintenance loops stay
    /// on real time, otherwise advancing it would run them inline and hang.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public ScriptableProber Prober { get; }

    public FakePairCatalog Catalog { get; } = new();

    public RecordingPairListener Listener { get; } = new();

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public TestPair AddPair(string name, ProbeSettings? probe = null)
    {
        var settings = new HaPairSettings(name, $"{name}.primary:5060", $"{name}.backup:5060", probe ?? Probe);
        Catalog.Add(settings);
        return new TestPair(name, settings.Primary, settings.Backup, Cluster.Client.GetGrain<IHaPairGrain>(name));
    }

    /// <summary>
    /// Moves the clock and returns the pair's status once the grain has run every probe tick that came due: a tick
    /// is queued on the activation while the clock moves and runs in one turn, so a call made after it runs after it.
    /// Answers that arrive later than the tick (time-outs, slow answers) may still be on their way.
    /// </summary>
    public async Task<PairStatus> AdvanceAsync(TestPair pair, TimeSpan by)
    {
        Clock.Advance(by);
        return await pair.Grain.GetStatus();
    }

    /// <summary>
    /// Moves the clock a fast interval at a time until the pair's status meets <paramref name="condition"/>. Answers
    /// that complete on the clock may reach the grain a step late, so use it for conditions that then hold, and
    /// read times from the status rather than from the clock.
    /// </summary>
    public async Task<PairStatus> AdvanceUntilAsync(TestPair pair, Func<PairStatus, bool> condition, string description, int maxSteps = 100)
    {
        var status = await pair.Grain.GetStatus();
        for (var step = 0; !condition(status); step++)
        {
            if (step == maxSteps)
            {
                throw new TimeoutException(
                    $"Pair {pair.Name}: moved the clock {maxSteps} x {Probe.FastInterval.TotalMilliseconds} ms until {description}; last seen: {status}");
            }

            status = await AdvanceAsync(pair, Probe.FastInterval);
        }

        return status;
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddSingleton<IMemberProber>(Prober);
            silo.Services.AddSingleton<IHaPairCatalog>(Catalog);
            silo.Services.AddSingleton<IPairListener>(Listener);
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
