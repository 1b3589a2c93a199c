using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Tests.Transport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// RFC 3261 §18.3 and §16.6 step 9 on real loopback sockets: over UDP Content-Length is optional, over TCP it is the
/// only framing, so whatever crosses from a datagram to a stream carries one that names the body it came with.
/// </summary>
public sealed class StreamContentLengthTests : IAsyncLifetime, IDisposable
{
    private const string Sdp = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n";

    private readonly SipMetrics metrics = new();
    private readonly FakeResolver resolver = new();
    private readonly ChannelHandler udpPeerInbox = new();
    private UdpListener udpPeer = null!;

    public static TheoryData<bool, string> ModesAndBodies => new()
    {
        { true, Sdp },
        { true, string.Empty },
        { false, Sdp },
        { false, string.Empty },
    };

    public Task InitializeAsync()
    {
        udpPeer = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        udpPeer.Start(udpPeerInbox, maxPending: 16);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await udpPeer.DisposeAsync();

    public void Dispose() => metrics.Dispose();

    [Theory]
    [MemberData(nameof(ModesAndBodies))]
    public async Task Rfc3261_18_3_UdpRequestWithoutContentLength_ReachesATcpServerWithOneNamingItsBody(bool stateful, string body)
    {
        using var tcpServer = StreamTransportTests.ListeningSocket(IPAddress.Loopback);
        resolver.Decision = RouteDecision.Forward((IPEndPoint)tcpServer.LocalEndPoint!, SipTransportKind.Tcp);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions(), metrics);
        var invite = Messages.Request("INVITE").Replace("Content-Length: 0\n\n", body.Length > 0 ? "Content-Type: application/sdp\n\n" + body : "\n", StringComparison.Ordinal);

        await SendToProxyAsync(proxy, invite);
        using var connection = await StreamPeer.AcceptAsync(tcpServer);

        var forwarded = SipText.Parse(await connection.ReadMessageAsync());
        Assert.Equal(SipText.Wire(body).Length, forwarded.ContentLength);
        Assert.Equal(body, Body(forwarded));
        Assert.StartsWith("SIP/2.0/TCP ", forwarded.Of(forwarded.Vias[0].Value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_18_3_UdpRequestWithAContentLengthShorterThanItsDatagram_ReachesATcpServerWithThatBodyOnly(bool stateful)
    {
        using var tcpServer = StreamTransportTests.ListeningSocket(IPAddress.Loopback);
        resolver.Decision = RouteDecision.Forward((IPEndPoint)tcpServer.LocalEndPoint!, SipTransportKind.Tcp);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions(), metrics);
        var invite = Messages.Request("INVITE").Replace("Content-Length: 0\n\n", "Content-Type: application/sdp\nContent-Length: 5\n\nv=0\nbytes past the length", StringComparison.Ordinal);

        await SendToProxyAsync(proxy, invite);
        using var connection = await StreamPeer.AcceptAsync(tcpServer);
        var forwarded = SipText.Parse(await connection.ReadMessageAsync());

        // The bytes past the length never reach the stream: the next request on the connection frames cleanly.
        await SendToProxyAsync(proxy, Messages.Request("OPTIONS", branch: "z9hG4bKnext", cseq: 314160));
        var next = await connection.ReadMessageAsync();
        Assert.Equal(5, forwarded.ContentLength);
        Assert.Equal("v=0\n", Body(forwarded));
        Assert.StartsWith("OPTIONS sip:service@127.0.0.1:5060 SIP/2.0\n", next, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_18_3_ResponseFromAUdpServerWithoutContentLength_ReachesTheTcpCallerWithOne(bool stateful)
    {
        resolver.Decision = RouteDecision.Forward(udpPeer.Hop.EndPoint);
        await using var proxy = LoopbackProxy.Start(stateful, resolver, new ProxyCoreOptions(), metrics);
        using var caller = await StreamPeer.ConnectAsync(proxy.Tcp.Hop.EndPoint);
        var invite = Messages.Request("INVITE").Replace(
            "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport",
            $"Via: SIP/2.0/TCP 127.0.0.1:{caller.LocalEndPoint.Port};branch=z9hG4bK776asdhds",
            StringComparison.Ordinal);

        await caller.SendAsync(invite);
        var forwarded = (await udpPeerInbox.NextAsync()).Text;
        var answer = Messages.Response(forwarded, 200, "OK").Replace("Content-Length: 0\n\n", "Content-Type: application/sdp\n\n" + Sdp, StringComparison.Ordinal);
        Assert.True(await udpPeer.SendAsync(SipText.Wire(answer), proxy.Udp.Hop.EndPoint, CancellationToken.None));

        var relayed = SipText.Parse(await FinalResponseAsync(caller));
        Assert.Equal(200, relayed.StatusCode);
        Assert.Equal(SipText.Wire(Sdp).Length, relayed.ContentLength);
        Assert.Equal(Sdp, Body(relayed));
    }

    private static string Body(SipMessage message) => SipText.Text(message.Span.Slice(message.BodyOffset, message.BodyLength));

    /// <summary>The first final response on the connection: a stateful proxy answers 100 Trying first.</summary>
    private static async Task<string> FinalResponseAsync(StreamPeer caller)
    {
        while (true)
        {
            var message = await caller.ReadMessageAsync();
            if (!message.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                return message;
            }
        }
    }

    private async Task SendToProxyAsync(LoopbackProxy proxy, string text) =>
        Assert.True(await udpPeer.SendAsync(SipText.Wire(text), proxy.Udp.Hop.EndPoint, CancellationToken.None));
}
