using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Diagnostics;
using Prometheus;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>The meter-to-Prometheus export and the node's pair instruments, without a host.</summary>
public sealed class PrometheusExporterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task Export_CounterWithTags_TotalSuffixAndSortedLabels()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var meter = MeterFactory.Create("OrleansProxy.Test");
        var counter = meter.CreateCounter<long>("orleansproxy.test.requests", description: "Test requests");

        counter.Add(2, new("transport", "udp"), new("method", "INVITE"));
        counter.Add(1, new("method", "INVITE"), new("transport", "udp"));

        var text = await ExportAsync(exporter);
        Assert.Contains("# TYPE orleansproxy_test_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_test_requests_total{method=\"INVITE\",transport=\"udp\"} 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_CounterWithBoxedValues_OneSeriesPerEqualValue()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var meter = MeterFactory.Create("OrleansProxy.Test");
        var answered = meter.CreateCounter<long>("orleansproxy.test.answered");

        // Each status is boxed anew, as a caller that builds its tag per answer does: equal values are one series, and
        // a value that reads the same as text joins it.
        foreach (var status in new[] { 200, 400, 200, 400, 400 })
        {
            answered.Add(1, new KeyValuePair<string, object?>("status", status));
        }

        answered.Add(1, new KeyValuePair<string, object?>("status", "200"));

        var text = await ExportAsync(exporter);
        Assert.Contains("orleansproxy_test_answered_total{status=\"200\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_test_answered_total{status=\"400\"} 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_LabelledSeriesSeenBefore_AllocatesNothing()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var meter = MeterFactory.Create("OrleansProxy.Test");
        var dropped = meter.CreateCounter<long>("orleansproxy.test.dropped");
        var open = meter.CreateUpDownCounter<long>("orleansproxy.test.open");
        KeyValuePair<string, object?> reason = new("reason", "late_response");
        KeyValuePair<string, object?> transport = new("transport", "tcp");
        KeyValuePair<string, object?> inbound = new("direction", "inbound");
        dropped.Add(1, reason);
        open.Add(1, transport, inbound);

        // Issue 14: a per-message measurement must not cost a label array or the text of its values.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            dropped.Add(1, reason);
            open.Add(1, transport, inbound);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Export_HistogramInSeconds_SecondsSuffixAndBuckets()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var meter = MeterFactory.Create("OrleansProxy.Test");
        var histogram = meter.CreateHistogram<double>("orleansproxy.test.latency", unit: "s");

        histogram.Record(0.002);

        var text = await ExportAsync(exporter);
        Assert.Contains("# TYPE orleansproxy_test_latency_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_test_latency_seconds_count 1", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_test_latency_seconds_bucket{le=\"+Inf\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_UpDownCounter_GaugeOfTheRunningSum()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var meter = MeterFactory.Create("OrleansProxy.Test");
        var open = meter.CreateUpDownCounter<long>("orleansproxy.test.connections.open");

        open.Add(1, new KeyValuePair<string, object?>("transport", "tcp"));
        open.Add(1, new KeyValuePair<string, object?>("transport", "tcp"));
        open.Add(-1, new KeyValuePair<string, object?>("transport", "tcp"));

        var text = await ExportAsync(exporter);
        Assert.Contains("# TYPE orleansproxy_test_connections_open gauge", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_test_connections_open{transport=\"tcp\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_MeterOfAnotherFactory_NotExported()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var meter = otherServices.GetRequiredService<IMeterFactory>().Create("OrleansProxy.Test");
        meter.CreateCounter<long>("orleansproxy.test.elsewhere").Add(1);

        Assert.DoesNotContain("orleansproxy_test_elsewhere", await ExportAsync(exporter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_SameHistoryTwice_CountsEachSwitchoverOnce()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var metrics = new NodeMetrics(MeterFactory);
        var first = new SwitchoverRecord(Start, "10.0.0.1:5060", "10.0.0.2:5060", SwitchoverReason.ActiveDown, "2 probes missed");
        var second = new SwitchoverRecord(Start.AddMinutes(1), "10.0.0.2:5060", "10.0.0.1:5060", SwitchoverReason.Manual, "cli");

        metrics.Publish([Pair(MemberRole.Backup, first)]);
        metrics.Publish([Pair(MemberRole.Backup, first)]);
        metrics.Publish([Pair(MemberRole.Primary, first, second)]);

        var text = await ExportAsync(exporter);
        Assert.Contains("orleansproxy_pair_switchovers_total{pair=\"p\",reason=\"active_down\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_switchovers_total{pair=\"p\",reason=\"manual\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_member_active{member=\"10.0.0.1:5060\",pair=\"p\",role=\"primary\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordTargetResolution_Elapsed_ObservedInSeconds()
    {
        using var exporter = new PrometheusExporter(MeterFactory);
        using var metrics = new NodeMetrics(MeterFactory);

        metrics.RecordTargetResolution(TimeSpan.FromMilliseconds(3), "ok");

        var text = await ExportAsync(exporter);
        Assert.Contains("orleansproxy_target_resolution_duration_seconds_sum{outcome=\"ok\"} 0.003", text, StringComparison.Ordinal);
    }

    public void Dispose() => _services.Dispose();

    private static PairStatus Pair(MemberRole active, params SwitchoverRecord[] history) => new(
        "p",
        new MemberStatus("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Serving, 0, TimeSpan.FromMilliseconds(2), Start, Start),
        new MemberStatus("10.0.0.2:5060", MemberRole.Backup, MemberHealth.Serving, 0, TimeSpan.FromMilliseconds(2), Start, Start),
        active,
        Available: true,
        [.. history]);

    private static async Task<string> ExportAsync(PrometheusExporter exporter)
    {
        using var stream = new MemoryStream();
        await exporter.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
