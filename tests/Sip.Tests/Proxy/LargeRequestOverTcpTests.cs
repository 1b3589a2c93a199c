using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// RFC 3261 §18.1.1 on real loopback sockets: a request too large for a datagram goes to a UDP next hop over TCP, with
/// a TCP Via; a next hop that refuses the connection gets it over UDP, and that refusal is nobody's failure.
/// </summary>
public sealed class LargeRequestOverTcpTests : IAsyncLifetime, IDisposable
{
    private const int LargeInviteBytes = 1500;

    private static readonly string Padding = new('a', LargeInviteBytes - SipText.Wire(Messages.Request("INVITE")).Length - "X-Padding: \r\n".Length);

    private readonly SipMetrics metrics = new();
    private readonly FailoverResolver resolver = new();
    private readonly ChannelHandler callerInbox = new();
    private readonly ChannelHandler serverInbox = new();
    private UdpListener caller = null!;
    private UdpListener server = null!;

    public Task InitializeAsync()
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        caller = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        server = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        caller.Start(callerInbox, maxPending: 16);
        server.Start(serverInbox, maxPending: 16);

        // A pair member: a hint or a failure reported about it would show in the resolver's queues.
        resolver.Target = server.Hop.EndPoint;
        resolver.Members[server.Hop.EndPoint] = true;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await caller.DisposeAsync();
        await server.DisposeAsync();
    }

    public void Dispose() => metrics.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_18_1_1_LargeInviteToAUdpHopThatTakesTcp_ArrivesOverTcpWithATcpVia(bool stateful)
    {
        using var serverTcp = LoopbackProxy.ListenOnTcpAsWell(server);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions(), metrics);

        await SendToProxyAsync(proxy, LargeInvite());
        using var connection = await StreamPeer.AcceptAsync(serverTcp);
        var forwarded = await connection.ReadMessageAsync();
        await connection.SendAsync(Messages.Response(forwarded, 200, "OK"));

        Assert.StartsWith($"INVITE sip:service@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/TCP {SentBy(proxy.Tcp)};branch=z9hG4bK", forwarded, StringComparison.Ordinal);
        Assert.Contains($"X-Padding: {Padding}\n", forwarded, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 200 OK\n", await FinalResponseAsync(), StringComparison.Ordinal);
        Assert.Equal(0, serverInbox.Waiting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_18_1_1_LargeInviteWithTheSwitchOff_ArrivesOverUdp(bool stateful)
    {
        using var serverTcp = LoopbackProxy.ListenOnTcpAsWell(server);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions { UdpMaxRequestBytes = 0 }, metrics);

        await SendToProxyAsync(proxy, LargeInvite());
        var forwarded = (await serverInbox.NextAsync()).Text;

        Assert.StartsWith($"INVITE sip:service@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {SentBy(proxy.Udp)};branch=z9hG4bK", forwarded, StringComparison.Ordinal);
        Assert.False(serverTcp.Poll(0, SelectMode.SelectRead), "the proxy tried TCP");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_18_1_1_LargeInviteToAHopThatRefusesTcp_ArrivesOverUdpAndNoFailureOrHintIsReported(bool stateful)
    {
        using var refusing = HoldTcpPortWithoutListening(server);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions(), metrics);

        await SendToProxyAsync(proxy, LargeInvite());
        var forwarded = (await serverInbox.NextAsync()).Text;
        await AnswerOverUdpAsync(proxy, Messages.Response(forwarded, 200, "OK"));

        Assert.StartsWith($"INVITE sip:service@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {SentBy(proxy.Udp)};branch=z9hG4bK", forwarded, StringComparison.Ordinal);
        var message = SipText.Parse(forwarded);
        Assert.Equal([$"<sip:{SentBy(proxy.Udp)};lr>"], message.RecordRoutes.Select(value => message.Of(value.Value)));
        Assert.Contains($"X-Padding: {Padding}\n", forwarded, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 200 OK\n", await FinalResponseAsync(), StringComparison.Ordinal);
        Assert.Empty(resolver.Reports);
        Assert.Empty(resolver.Hints);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_18_1_1_SmallInviteToAHopThatTakesTcp_StaysOnUdp(bool stateful)
    {
        using var serverTcp = LoopbackProxy.ListenOnTcpAsWell(server);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions(), metrics);

        await SendToProxyAsync(proxy, Messages.Request("INVITE"));
        var forwarded = (await serverInbox.NextAsync()).Text;

        Assert.StartsWith($"INVITE sip:service@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {SentBy(proxy.Udp)};branch=z9hG4bK", forwarded, StringComparison.Ordinal);
        Assert.False(serverTcp.Poll(0, SelectMode.SelectRead), "the proxy tried TCP");
    }

    /// <summary>1500 bytes on the wire, as an INVITE with a full SDP offer and a few extension headers comes.</summary>
    private static string LargeInvite() =>
        Messages.Request("INVITE").Replace("Content-Length: 0\n", $"X-Padding: {Padding}\nContent-Length: 0\n", StringComparison.Ordinal);

    private static string SentBy(ISipTransport transport) => $"127.0.0.1:{transport.Hop.EndPoint.Port}";

    /// <summary>Takes the server's port on TCP without listening, so a connect there is reset and nothing else can listen.</summary>
    private static Socket HoldTcpPortWithoutListening(UdpListener udp)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(udp.Hop.EndPoint);
        return socket;
    }

    /// <summary>The first final response the caller gets: a stateful proxy answers 100 Trying first.</summary>
    private async Task<string> FinalResponseAsync()
    {
        while (true)
        {
            var message = (await callerInbox.NextAsync()).Text;
            if (!message.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                return message;
            }
        }
    }

    private async Task SendToProxyAsync(LoopbackProxy proxy, string text) =>
        Assert.True(await caller.SendAsync(SipText.Wire(text), proxy.Udp.Hop.EndPoint, CancellationToken.None));

    private async Task AnswerOverUdpAsync(LoopbackProxy proxy, string text) =>
        Assert.True(await server.SendAsync(SipText.Wire(text), proxy.Udp.Hop.EndPoint, CancellationToken.None));
}
