using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using static OrleansProxy.Silo.Tests.EndToEnd.ScriptedCalls;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// The hold on a whole node: a node that has just started has no serving member until a probe is answered, so
/// its requests wait; past the hold's count bound the caller gets 503 with Retry-After at once, and the ones that
/// waited leave for the member as soon as it answers a probe.
/// </summary>
public sealed class HoldEndToEndTests
{
    [Fact]
    public async Task NodeJustStarted_RequestsWaitUntilTheFirstProbeAnswerAndPastTheCountBoundGet503()
    {
        using var primary = new ScriptedSipPeer();
        using var backup = new ScriptedSipPeer();
        using var caller = new ScriptedSipPeer();
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, "--Proxy:Failover:HoldMaxRequests=2", "--Proxy:Failover:HoldMs=20000");
        var before = await node.PairGrain.GetRoute();
        Assert.False(before.IsAvailable);

        await caller.SendAsync(Invite(caller, node.Sip, "held-1"), node.Sip);
        await caller.SendAsync(Invite(caller, node.Sip, "held-2"), node.Sip);
        Assert.Equal(100, (await caller.ReceiveAsync()).Message.StatusCode);
        Assert.Equal(100, (await caller.ReceiveAsync()).Message.StatusCode);
        await Eventually.Satisfies(
            () => node.Admin.GetStringAsync("/metrics"),
            text => text.Contains("orleansproxy_pair_requests_held_total{pair=\"main\"} 2", StringComparison.Ordinal),
            "both INVITEs held");
        await caller.SendAsync(Invite(caller, node.Sip, "refused-3"), node.Sip);
        Assert.Equal(100, (await caller.ReceiveAsync()).Message.StatusCode);
        var refused = await FinalResponseAsync(caller, TimeSpan.FromSeconds(10));

        Assert.Equal(503, refused.Message.StatusCode);
        Assert.Contains("refused-3", refused.Header(OrleansProxy.Sip.Message.HeaderKind.CallId), StringComparison.Ordinal);
        Assert.Contains("pair main", refused.StartLine, StringComparison.Ordinal);
        Assert.NotEmpty(refused.HeaderLines("Retry-After"));

        // The primary's first probe answer is its first sign of life: both held INVITEs leave for it.
        var first = await NextRequestAsync(primary, "INVITE");
        var second = await NextRequestAsync(primary, "INVITE");
        Assert.Equal(["held-1@127.0.0.1", "held-2@127.0.0.1"], new[] { first, second }.Select(r => r.Header(OrleansProxy.Sip.Message.HeaderKind.CallId)!).Order());
        Assert.True((await node.PairGrain.GetRoute()).IsAvailable);
    }

    [Fact]
    public async Task RequestFromTheActiveMemberWhileNoneServes_PairAvailableAndHeldRequestsLeaveAtOnce()
    {
        using var primary = new ScriptedSipPeer();
        using var backup = new ScriptedSipPeer();
        using var caller = new ScriptedSipPeer();
        using var target = new ScriptedSipPeer();

        // Probes too slow to answer anything within the test: only the primary's own request can end the hold.
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, "--Proxy:Probe:IntervalMs=30000", "--Proxy:Probe:FastIntervalMs=30000", "--Proxy:Probe:TimeoutMs=20000", "--Proxy:Failover:HoldMs=20000");
        await caller.SendAsync(Invite(caller, node.Sip, "held-by-start"), node.Sip);
        Assert.Equal(100, (await caller.ReceiveAsync()).Message.StatusCode);

        await primary.SendAsync(Options(primary, target), node.Sip);

        var invite = await NextRequestAsync(primary, "INVITE");
        Assert.Equal("held-by-start@127.0.0.1", invite.Header(OrleansProxy.Sip.Message.HeaderKind.CallId));
        var route = await node.PairGrain.GetRoute();
        Assert.Equal(MemberRole.Primary, route.ActiveRole);
        Assert.True(route.IsAvailable);
    }

    private static string Options(ScriptedSipPeer from, ScriptedSipPeer to) =>
        $"OPTIONS sip:agent@{to.HostPort} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {from.HostPort};branch=z9hG4bKfrom-active;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"To: <sip:agent@{to.HostPort}>\r\n" +
        $"From: <sip:server@{from.HostPort}>;tag=s1\r\n" +
        "Call-ID: from-active@127.0.0.1\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n";
}
