using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Simulation;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Demo;

/// <summary>The simulation's peers against the real stateless proxy core: Via, Record-Route and in-dialog routing end to end.</summary>
public sealed class ThroughStatelessProxyTests
{
    [Fact]
    public async Task RunLoadAsync_ThroughRecordRoutingProxy_AllCallsSucceed()
    {
        using var metrics = new SipMetrics();
        await using var pair = SimulatedHaPair.Start();
        var server = pair.Primary;
        await using var listener = StartProxy(server.EndPoint, metrics);
        await using var agent = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), listener.Hop.EndPoint);

        var results = await agent.RunLoadAsync(10, 50, TimeSpan.FromSeconds(30), null, CancellationToken.None);

        Assert.All(results, result => Assert.True(result.Succeeded, result.FailureReason));
        Assert.All(results, result => Assert.Equal(server.EndPoint, result.AnsweredBy));
        Assert.Equal(10, server.Counts.InvitesAnswered);
        Assert.Equal(10, server.Counts.ByesAnswered);
    }

    [Fact]
    public async Task SendOptionsAsync_ToProxy_ProxyAnswers()
    {
        using var metrics = new SipMetrics();
        await using var pair = SimulatedHaPair.Start();
        await using var listener = StartProxy(pair.Primary.EndPoint, metrics);

        await pair.KillActiveAsync(DeathKind.Freeze);
        var status = await pair.Backup.SendOptionsAsync(listener.Hop.EndPoint, requestUri: null, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(200, status);
    }

    private static UdpListener StartProxy(IPEndPoint server, SipMetrics metrics)
    {
        var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        var proxy = new StatelessProxy(new ProxyIdentity([listener.Hop], []), new ForwardToServerResolver(server), new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
        listener.Start(proxy, maxPending: 16);
        return listener;
    }
}
