using System.Net;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>/metrics, /readyz and the status page's assets on a running node.</summary>
public sealed class MetricsEndpointTests(OpsNodeFixture fixture) : IClassFixture<OpsNodeFixture>
{
    [Fact]
    public async Task Metrics_Running_ExportsPairGaugesInPrometheusTextFormat()
    {
        var text = await Eventually.Satisfies(
            () => fixture.GetTextAsync("/metrics"),
            t => t.Contains("orleansproxy_pair_member_state{member=\"127.0.0.1:7200\",pair=\"red\",role=\"primary\",state=\"serving\"} 1", StringComparison.Ordinal),
            "red's primary serving in /metrics");

        Assert.Contains("# TYPE orleansproxy_pair_available gauge", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_available{pair=\"red\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_member_active{member=\"127.0.0.1:7200\",pair=\"red\",role=\"primary\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_member_active{member=\"127.0.0.1:7201\",pair=\"red\",role=\"backup\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("orleansproxy_pair_member_probe_rtt_seconds{member=\"127.0.0.1:7200\",pair=\"red\",role=\"primary\"} 0.001", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_BothMembersSilent_PairUnavailableAndMembersDown()
    {
        var text = await Eventually.Satisfies(
            () => fixture.GetTextAsync("/metrics"),
            t => t.Contains("orleansproxy_pair_member_state{member=\"127.0.0.1:7240\",pair=\"dark\",role=\"primary\",state=\"down\"} 1", StringComparison.Ordinal),
            "dark's primary down in /metrics");

        Assert.Contains("orleansproxy_pair_available{pair=\"dark\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterOperatorSwitchover_CountsOneManualSwitchover()
    {
        await Eventually.Satisfies(
            () => fixture.GetTextAsync("/api/pairs/blue"),
            t => t.Contains("\"health\":\"Serving\"", StringComparison.Ordinal) && !t.Contains("\"health\":\"Unknown\"", StringComparison.Ordinal),
            "both members of blue serving");
        using var switched = await fixture.Host.Admin.PostAsync(new Uri("/api/pairs/blue/switchover", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);

        var text = await Eventually.Satisfies(
            () => fixture.GetTextAsync("/metrics"),
            t => t.Contains("orleansproxy_pair_switchovers_total{pair=\"blue\",reason=\"manual\"} 1", StringComparison.Ordinal) &&
                 t.Contains("orleansproxy_pair_member_active{member=\"127.0.0.1:7211\",pair=\"blue\",role=\"backup\"} 1", StringComparison.Ordinal),
            "blue's manual switchover counted and its backup active");

        Assert.Contains("# TYPE orleansproxy_pair_switchovers_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_NodeStarted_ReadyWithEveryCheck()
    {
        using var response = await fixture.Host.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"ready":true,"configuration":"loaded","listeners":"bound","silo":"Active","warmUp":"off","draining":false}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_EveryMemberOfAPairDown_StillReady()
    {
        await Eventually.Satisfies(
            () => fixture.GetTextAsync("/api/pairs/dark"),
            t => t.Contains("\"available\":false", StringComparison.Ordinal),
            "pair dark unavailable");

        using var response = await fixture.Host.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/", "text/html", "<title>orleans-proxy status</title>")]
    [InlineData("/status.js", "text/javascript", "orleansproxy_sip_requests_forwarded_total")]
    [InlineData("/status.css", "text/css", ".timeline")]
    public async Task StatusPage_Asset_ServedFromTheExecutable(string path, string mediaType, string expected)
    {
        using var response = await fixture.Host.Admin.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
