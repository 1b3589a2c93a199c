using System.Net;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>
/// The synthetic calls a node runs before /readyz turns ready ("Proxy:Startup:WarmUp") stay inside the process: the
/// pair's members hear nothing of them and the SIP counters operators read do not move.
/// </summary>
public sealed class HotPathWarmUpTests
{
    private static readonly string[] CallMethods = ["INVITE", "ACK", "BYE", "OPTIONS"];

    private static readonly string[] SipCounters =
    [
        "orleansproxy_sip_requests_forwarded_total",
        "orleansproxy_sip_responses_forwarded_total",
        "orleansproxy_sip_requests_answered_total",
        "orleansproxy_sip_messages_dropped_total",
        "orleansproxy_sip_parse_errors_total",
    ];

    [Fact]
    public async Task Startup_WarmUpOn_ReadyAfterItWithNothingSentToThePairAndNoCounterMoved()
    {
        await using var primary = UdpSipServer.Start(IPAddress.Loopback);
        await using var backup = UdpSipServer.Start(IPAddress.Loopback);
        await using var host = await RunningProxyHost.StartAsync(
            new FakeMemberProber(),
            "--Proxy:Pairs:0:Name=main",
            $"--Proxy:Pairs:0:Primary={primary.EndPoint}",
            $"--Proxy:Pairs:0:Backup={backup.EndPoint}",
            "--Proxy:Startup:WarmUp=true");

        using var readiness = await host.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await host.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Contains("\"warmUp\":\"done\"", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var method in CallMethods)
        {
            Assert.Empty(primary.RequestsOf(method));
            Assert.Empty(backup.RequestsOf(method));
        }

        foreach (var counter in SipCounters)
        {
            Assert.DoesNotContain(metrics.Split('\n'), line => line.StartsWith(counter, StringComparison.Ordinal) && !line.EndsWith(" 0", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Startup_WarmUpOff_ReadyAndSaysSo()
    {
        await using var host = await RunningProxyHost.StartAsync(
            new FakeMemberProber(),
            "--Proxy:Pairs:0:Name=main",
            "--Proxy:Pairs:0:Primary=127.0.0.1:7300",
            "--Proxy:Pairs:0:Backup=127.0.0.1:7301",
            "--Proxy:Startup:WarmUp=false");

        using var readiness = await host.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Contains("\"warmUp\":\"off\"", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
