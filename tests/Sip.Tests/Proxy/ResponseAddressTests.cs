using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// RFC 3261 §18.2.1, §18.2.2 and RFC 3581 §4 in the stateful core, on real loopback sockets: the forwarded request tells
/// the server where its sender really is, and every response, a late one included, reaches the sender there.
/// </summary>
public sealed class ResponseAddressTests : IAsyncLifetime, IDisposable
{
    // Long enough after the INVITE that nothing but the transaction's own record can say where the caller is.
    private static readonly TimeSpan LateAnswer = TimeSpan.FromSeconds(2);

    private readonly SipMetrics metrics = new();
    private readonly FailoverResolver resolver = new();
    private readonly ChannelHandler phoneInbox = new();
    private readonly ChannelHandler serverInbox = new();
    private UdpListener phone = null!;
    private UdpListener server = null!;

    public Task InitializeAsync()
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        phone = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        server = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        phone.Start(phoneInbox, maxPending: 16);
        server.Start(serverInbox, maxPending: 16);
        resolver.Target = server.Hop.EndPoint;
        resolver.Members[server.Hop.EndPoint] = true;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await phone.DisposeAsync();
        await server.DisposeAsync();
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task PhoneWithAPrivateSentByAskingForRport_GetsEveryResponseOnItsSource_AndTheServerSeesWhereItIs_Rfc3581Section4()
    {
        await using var proxy = LoopbackProxy.Start(stateful: true, resolver, new(), metrics);
        var invite = Messages.Request("INVITE").Replace("127.0.0.1:6000;branch=z9hG4bK776asdhds;rport", "10.99.99.99:5999;branch=z9hG4bK776asdhds;rport", StringComparison.Ordinal);

        Assert.True(await phone.SendAsync(SipText.Wire(invite), proxy.Udp.Hop.EndPoint, CancellationToken.None));
        var forwarded = (await serverInbox.NextAsync()).Text;
        await AnswerAsync(proxy, Messages.Response(forwarded, 180, "Ringing"));
        await Task.Delay(LateAnswer);
        await AnswerAsync(proxy, Messages.Response(forwarded, 200, "OK"));

        var phonePort = phone.Hop.EndPoint.Port;
        Assert.Contains($"Via: SIP/2.0/UDP 10.99.99.99:5999;branch=z9hG4bK776asdhds;rport={phonePort};received=127.0.0.1\n", forwarded, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 100 ", (await phoneInbox.NextAsync()).Text, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 180 Ringing\n", (await phoneInbox.NextAsync()).Text, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 200 OK\n", (await phoneInbox.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SenderWithoutRport_GetsItsResponsesAtItsSentByPortNotTheSourcePort_Rfc3261Section18_2_2()
    {
        await using var proxy = LoopbackProxy.Start(stateful: true, resolver, new(), metrics);
        await using var sentByPort = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        var atSentBy = new ChannelHandler();
        sentByPort.Start(atSentBy, maxPending: 16);
        var invite = Messages.Request("INVITE").Replace("127.0.0.1:6000;branch=z9hG4bK776asdhds;rport", $"127.0.0.1:{sentByPort.Hop.EndPoint.Port};branch=z9hG4bK776asdhds", StringComparison.Ordinal);

        Assert.True(await phone.SendAsync(SipText.Wire(invite), proxy.Udp.Hop.EndPoint, CancellationToken.None));
        var forwarded = (await serverInbox.NextAsync()).Text;
        await AnswerAsync(proxy, Messages.Response(forwarded, 200, "OK"));

        Assert.StartsWith("SIP/2.0 100 ", (await atSentBy.NextAsync()).Text, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 200 OK\n", (await atSentBy.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(0, phoneInbox.Waiting);
    }

    private async Task AnswerAsync(LoopbackProxy proxy, string response) =>
        Assert.True(await server.SendAsync(SipText.Wire(response), proxy.Udp.Hop.EndPoint, CancellationToken.None));
}
