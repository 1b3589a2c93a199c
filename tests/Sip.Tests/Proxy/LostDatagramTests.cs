using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// A stateful proxy, a caller and a next hop on real UDP loopback sockets; the proxy's timers run on fake time, so a
/// retransmission goes out exactly when the test moves the clock. The next hop drops the first copy of the INVITE.
/// </summary>
public sealed class LostDatagramTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan NoResponse = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider time = new();
    private readonly FailoverResolver resolver = new();
    private readonly SipMetrics metrics = new();
    private readonly ChannelHandler callerInbox = new();
    private readonly ChannelHandler hopInbox = new();
    private UdpListener proxyListener = null!;
    private UdpListener caller = null!;
    private UdpListener hop = null!;
    private StatefulProxy proxy = null!;

    public Task InitializeAsync()
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        proxyListener = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        caller = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        hop = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        var identity = new ProxyIdentity([proxyListener], ["sip-proxy.example.com"]);
        proxy = new StatefulProxy(identity, resolver, new StatefulProxyOptions { NoResponseTimeout = NoResponse }, metrics, time, NullLoggerFactory.Instance);
        proxyListener.Start(proxy, maxPending: 16);
        caller.Start(callerInbox, maxPending: 16);
        hop.Start(hopInbox, maxPending: 16);
        resolver.Target = hop.Hop.EndPoint;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        proxy.Stop();
        await proxyListener.DisposeAsync();
        await caller.DisposeAsync();
        await hop.DisposeAsync();
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Invite_FirstCopyLostToAPairMember_RetransmittedAndTheCallCompletesThroughIt()
    {
        resolver.Members[hop.Hop.EndPoint] = true;

        await CallWithTheFirstInviteLostAsync();

        Assert.Equal([hop.Hop.EndPoint], resolver.ProbeBursts);
    }

    [Fact]
    public async Task Invite_FirstCopyLostToAHopOutsideAnyPair_RetransmittedAndTheCallCompletesThroughIt()
    {
        await CallWithTheFirstInviteLostAsync();

        Assert.Empty(resolver.ProbeBursts);
    }

    /// <summary>
    /// The same call whatever the hop: the proxy core reports the same hint and keeps retransmitting, and only the
    /// resolver knows whether the hop is a pair member.
    /// </summary>
    private async Task CallWithTheFirstInviteLostAsync()
    {
        await SendAsync(caller, Messages.Request("INVITE"));
        Assert.StartsWith("SIP/2.0 100 Trying\n", (await callerInbox.NextAsync()).Text, StringComparison.Ordinal);
        var lost = await hopInbox.NextAsync();
        Assert.StartsWith("INVITE ", lost.Text, StringComparison.Ordinal);

        time.Advance(NoResponse);

        var copy = await hopInbox.NextAsync();
        Assert.Equal(lost, copy);
        Assert.Equal((hop.Hop.EndPoint, TransactionFailure.NoResponse), Assert.Single(resolver.Hints));
        await SendAsync(hop, Messages.Response(copy.Text, 180, "Ringing"));
        await SendAsync(hop, Messages.Response(copy.Text, 200, "OK"));
        Assert.StartsWith("SIP/2.0 180 Ringing\n", (await callerInbox.NextAsync()).Text, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 200 OK\n", (await callerInbox.NextAsync()).Text, StringComparison.Ordinal);

        // Past Timer B: the INVITE is answered, so the next thing the hop sees is the caller's ACK, not another copy.
        time.Advance(TransactionTimers.Default.TransactionTimeout);
        await SendAsync(caller, Messages.Request("ACK", branch: "z9hG4bKack2", toTag: "srv1"));
        Assert.StartsWith("ACK ", (await hopInbox.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Empty(resolver.Reports);
        Assert.Single(resolver.Hints);
    }

    private async Task SendAsync(UdpListener from, string text) =>
        Assert.True(await from.SendAsync(SipText.Wire(text), proxyListener.Hop.EndPoint, CancellationToken.None));
}
