using System.Net.Sockets;
using System.Text.RegularExpressions;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using static OrleansProxy.Silo.Tests.EndToEnd.ScriptedCalls;

namespace OrleansProxy.Silo.Tests.Deploy;

/// <summary>
/// Every metric the dashboard and the alert rules name is exported by a running node. The exporter creates a
/// metric at its first measurement (its labels come from it), so the node is put through what each one counts:
/// a held request released, the hold's time and count bounds, a full transaction table, a stray response,
/// a connection closed and one refused, a switchover.
/// </summary>
public sealed partial class MonitoredMetricsTests
{
    [Fact]
    public async Task RunningNode_AfterTraffic_ExportsEveryMetricTheDashboardAndRulesName()
    {
        using var primary = new ScriptedSipPeer();
        using var backup = new ScriptedSipPeer();
        using var caller = new ScriptedSipPeer();
        var tcp = FreePort.TcpOn(System.Net.IPAddress.Loopback);
        await using var node = await ProxyNode.StartAsync(
            primary.EndPoint.ToString(),
            backup.EndPoint.ToString(),
            [$"udp://{FreePort.Udp()}", $"tcp://{tcp}"],
            "--Proxy:Failover:HoldMs=3000",
            "--Proxy:Failover:HoldMaxRequests=1",
            "--Proxy:Transactions:MaxCount=3",
            "--Proxy:Connections:MaxPerPeer=1",
            "--Proxy:Overload:InvitesPerSecond=5");

        // Held until the primary answers a probe, then released to it; its answer goes back to the caller.
        await caller.SendAsync(Invite(caller, node.Sip, "held-then-released"), node.Sip);
        var released = await NextRequestAsync(primary, "INVITE");
        await primary.SendAsync(Response(released, 486, "Busy Here"), released.Source);

        // The primary falls silent: the pair has no serving member, one request waits, the next finds the hold full,
        // then the table (three server transactions) is full; the waiting one expires at HoldMs. The sixth INVITE of
        // the burst is past the cap of five a second.
        await node.WaitForPairAsync(status => !status.Available, "the pair unavailable once the primary is silent");
        for (var i = 0; i < 6; i++)
        {
            await caller.SendAsync(Invite(caller, node.Sip, $"shed-{i}"), node.Sip);
        }

        // A response that no Via of ours led to is dropped.
        await caller.SendAsync(
            $"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP {caller.HostPort};branch=z9hG4bKstray\r\nTo: <sip:a@{caller.HostPort}>;tag=t\r\n" +
            $"From: <sip:b@{caller.HostPort}>;tag=f\r\nCall-ID: stray@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
            node.Sip);

        // Two connections from one peer: the second is refused; closing the first counts it closed.
        using (var first = new TcpClient())
        {
            await first.ConnectAsync(tcp);
            using var second = new TcpClient();
            await second.ConnectAsync(tcp);
            await Eventually.Satisfies(
                () => node.Admin.GetStringAsync("/metrics"),
                text => text.Contains("orleansproxy_sip_connections_refused_total", StringComparison.Ordinal),
                "the second connection refused");
        }

        // A request from the standby is evidence that it is active now.
        await backup.SendAsync(
            $"OPTIONS sip:{node.Sip} SIP/2.0\r\nVia: SIP/2.0/UDP {backup.HostPort};branch=z9hG4bKfrom-standby;rport\r\nMax-Forwards: 70\r\n" +
            $"To: <sip:{node.Sip}>\r\nFrom: <sip:server@{backup.HostPort}>;tag=s1\r\nCall-ID: from-standby@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
            node.Sip);

        var used = DashboardAndAlertsTests.MetricNamesUsed();
        var text = await Eventually.Satisfies(
            () => node.Admin.GetStringAsync("/metrics"),
            t => used.All(ExportedNames(t).Contains),
            "every metric of the dashboard and the rules in /metrics",
            TimeSpan.FromSeconds(20));

        Assert.Empty(used.Except(ExportedNames(text)));
        Assert.Contains("orleansproxy_sip_transactions_capacity 3", text, StringComparison.Ordinal);
        Assert.Equal(["orleansproxy_sip_transactions_lingering", "orleansproxy_sip_transactions_lingering_bytes"], ExportedNames(text).Where(name => name.Contains("lingering", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>The series names of a scrape: each metric's TYPE line, and a histogram's _bucket, _sum and _count.</summary>
    private static HashSet<string> ExportedNames(string scrape)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match type in TypeLine().Matches(scrape))
        {
            var name = type.Groups[1].Value;
            names.Add(name);
            if (type.Groups[2].Value == "histogram")
            {
                names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
        }

        return names;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
