using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.Demo;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Message;
using static OrleansProxy.Silo.Tests.EndToEnd.ScriptedCalls;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// Stopping a node (what SIGTERM does) while a call rings through it, on loopback sockets in the default
/// stateful mode: the answer comes back through this node, so the node waits for it before it stops, while it
/// refuses new calls and tells clients that probe it with OPTIONS that it is going.
/// </summary>
public sealed class DrainEndToEndTests
{
    private static readonly string[] SlowProbesLongDrain =
        ["--Proxy:Probe:IntervalMs=5000", "--Proxy:Probe:TimeoutMs=4000", "--Proxy:Shutdown:DrainMs=60000"];

    [Fact]
    public async Task StopWhileACallRings_NewCallsGet503AndTheRingingCallIsStillAnswered()
    {
        using var primary = new ScriptedSipPeer();
        using var backup = new ScriptedSipPeer();
        using var caller = new ScriptedSipPeer();
        await using var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, SlowProbesLongDrain);
        await caller.SendAsync(Invite(caller, node.Sip, "ringing-at-sigterm"), node.Sip);
        var ringing = await NextRequestAsync(primary, "INVITE");
        await primary.SendAsync(Response(ringing, 180, "Ringing"), ringing.Source);
        Assert.Equal(180, (await FirstResponseAsync(caller, status => status > 100)).Message.StatusCode);

        var stopping = node.App.StopAsync();
        var drain = node.App.Services.GetRequiredService<IDrainState>();
        await Eventually.Satisfies(() => Task.FromResult(drain.IsDraining), draining => draining, "the node to drain");
        await caller.SendAsync(Invite(caller, node.Sip, "new-at-sigterm"), node.Sip);
        var refused = await FinalResponseAsync(caller, TimeSpan.FromSeconds(15));

        Assert.Equal(503, refused.Message.StatusCode);
        Assert.Equal("new-at-sigterm@127.0.0.1", refused.Header(HeaderKind.CallId));
        await caller.SendAsync(OptionsToTheProxy(caller, node.Sip), node.Sip);
        Assert.Equal("SIP/2.0 503 Service Unavailable (this proxy is shutting down)", (await FinalResponseAsync(caller, TimeSpan.FromSeconds(15))).StartLine);
        Assert.False(stopping.IsCompleted, "the node stopped with a call still ringing through it");

        await primary.SendAsync(Response(ringing, 200, "OK"), ringing.Source);
        var answered = await FinalResponseAsync(caller, TimeSpan.FromSeconds(15));

        Assert.Equal(200, answered.Message.StatusCode);
        Assert.Equal("ringing-at-sigterm@127.0.0.1", answered.Header(HeaderKind.CallId));
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // How a client that keeps a proxy alive asks it whether it serves: an OPTIONS whose Request-URI names the proxy.
    private static string OptionsToTheProxy(ScriptedSipPeer caller, System.Net.IPEndPoint proxy) =>
        $"OPTIONS sip:{proxy} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {caller.HostPort};branch=z9hG4bKkeepalive;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"To: <sip:{proxy}>\r\n" +
        $"From: <sip:caller@{caller.HostPort}>;tag=ka\r\n" +
        "Call-ID: keepalive@127.0.0.1\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n";
}
