using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.FrontEnd;
using Prometheus;

namespace OrleansProxy.Silo.Tests.FrontEnd;

/// <summary>The hold on its own: requests wait for a serving member, bounded in time and count; time is moved, not slept.</summary>
public sealed class RequestHoldTests : IDisposable
{
    private static readonly PairRoute Unavailable = new("main", null, MemberRole.Primary, 1, DateTimeOffset.UnixEpoch);
    private static readonly PairRoute OnBackup = new("main", "127.0.0.1:5080", MemberRole.Backup, 2);

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new();
    private readonly PrometheusExporter exporter;
    private readonly NodeMetrics metrics;

    public RequestHoldTests()
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        exporter = new PrometheusExporter(meters);
        metrics = new NodeMetrics(meters);
    }

    [Fact]
    public async Task WaitAsync_PairGetsAServingMember_ReleasedWithThatRoute()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 10);

        var waiting = hold.WaitAsync(Unavailable, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        hold.OnRouteChanged(OnBackup);
        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(OnBackup, outcome.Route);
        Assert.Equal(0, hold.Waiting);
        var text = await ExportAsync();
        Assert.Contains("orleansproxy_pair_requests_held_total{pair=\"main\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_requests_released_total{pair=\"main\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitAsync_RouteChangedBeforeTheWaitBegan_ReleasedAtOnce()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 10);
        hold.OnRouteChanged(OnBackup);

        var outcome = await hold.WaitAsync(Unavailable, CancellationToken.None);

        Assert.Same(OnBackup, outcome.Route);
    }

    [Fact]
    public async Task WaitAsync_RouteStillWithoutServingMember_KeepsWaiting()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 10);

        var waiting = hold.WaitAsync(Unavailable, CancellationToken.None).AsTask();
        hold.OnRouteChanged(Unavailable with { Version = 2 });
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(waiting.IsCompleted);
        hold.OnRouteChanged(OnBackup with { Version = 3 });
        Assert.Equal("127.0.0.1:5080", (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Route!.ActiveMember);
    }

    [Fact]
    public async Task WaitAsync_NoServingMemberWithinTheHold_RefusedNamingThePair()
    {
        var hold = NewHold(TimeSpan.FromSeconds(2), 10);

        var waiting = hold.WaitAsync(Unavailable, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(outcome.Route);
        Assert.Equal("Service Unavailable (pair main has had no serving member for 2000 ms)", outcome.RefusedBecause);
        Assert.Equal(0, hold.Waiting);
        Assert.Contains("orleansproxy_pair_requests_expired_total{pair=\"main\",reason=\"time\"} 1", await ExportAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitAsync_AsManyWaitingAsTheBound_TheNextIsRefusedAtOnceAndTheOthersStillLeave()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 2);
        var first = hold.WaitAsync(Unavailable, CancellationToken.None).AsTask();
        var second = hold.WaitAsync(Unavailable, CancellationToken.None).AsTask();

        var third = await hold.WaitAsync(Unavailable, CancellationToken.None);

        Assert.Null(third.Route);
        Assert.Contains("pair main", third.RefusedBecause, StringComparison.Ordinal);
        Assert.Contains("2 requests wait already", third.RefusedBecause, StringComparison.Ordinal);
        Assert.Equal(2, hold.Waiting);
        hold.OnRouteChanged(OnBackup);
        Assert.NotNull((await first.WaitAsync(TimeSpan.FromSeconds(10))).Route);
        Assert.NotNull((await second.WaitAsync(TimeSpan.FromSeconds(10))).Route);
        Assert.Contains("orleansproxy_pair_requests_expired_total{pair=\"main\",reason=\"full\"} 1", await ExportAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitAsync_HoldOff_RefusedAtOnce()
    {
        var hold = NewHold(TimeSpan.Zero, 10);

        var outcome = await hold.WaitAsync(Unavailable, CancellationToken.None);

        Assert.Equal("Service Unavailable (pair main has no serving member)", outcome.RefusedBecause);
    }

    [Fact]
    public async Task WaitAsync_ActiveMemberCouldNotTakeTheRequest_WaitsForAnotherRouteNotTheSameOne()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 10);
        var onPrimary = new PairRoute("main", "127.0.0.1:5070", MemberRole.Primary, 4);
        hold.OnRouteChanged(onPrimary);

        var waiting = hold.WaitAsync(onPrimary, CancellationToken.None).AsTask();
        hold.OnRouteChanged(onPrimary);
        Assert.False(waiting.IsCompleted);
        hold.OnRouteChanged(OnBackup with { Version = 5 });

        Assert.Equal(5, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Route!.Version);
    }

    [Fact]
    public async Task WaitAsync_ManyWaiters_OneRouteChangeReleasesAllAndNothingStaysHeld()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 1000);
        var waiters = Enumerable.Range(0, 500).Select(_ => hold.WaitAsync(Unavailable, CancellationToken.None).AsTask()).ToArray();

        hold.OnRouteChanged(OnBackup);
        var outcomes = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(outcomes, outcome => Assert.Same(OnBackup, outcome.Route));
        Assert.Equal(0, hold.Waiting);
    }

    [Fact]
    public async Task WaitAsync_GrainReactivatedAndCountsVersionsAgain_StillReleased()
    {
        var hold = NewHold(TimeSpan.FromSeconds(5), 10);
        hold.OnRouteChanged(OnBackup with { Version = 40 });
        hold.OnRouteChanged(Unavailable with { Version = 41 });

        var waiting = hold.WaitAsync(Unavailable with { Version = 41 }, CancellationToken.None).AsTask();
        hold.OnRouteChanged(OnBackup with { Version = 2 });

        Assert.Equal(2, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Route!.Version);
    }

    public void Dispose()
    {
        exporter.Dispose();
        metrics.Dispose();
        services.Dispose();
    }

    private RequestHold NewHold(TimeSpan holdTime, int maxRequests) =>
        new(new HoldSettings(holdTime, maxRequests), metrics, time, NullLogger<RequestHold>.Instance);

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await exporter.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
