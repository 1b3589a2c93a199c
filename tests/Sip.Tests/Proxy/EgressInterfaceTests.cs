using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// A dual-homed stateful proxy on real UDP loopback sockets: one listener on 127.0.0.1 towards the phone, one on
/// 127.0.0.2 towards the server (127.0.0.3). Linux keeps all of 127.0.0.0/8 on lo and sends from 127.0.0.1 to the rest
/// of it, which is the route table's choice the second test relies on.
/// </summary>
public sealed class EgressInterfaceTests : IAsyncLifetime, IDisposable
{
    private readonly FakeResolver resolver = new();
    private readonly SipMetrics metrics = new();
    private readonly ChannelHandler phoneInbox = new();
    private readonly ChannelHandler serverInbox = new();
    private UdpListener phoneSide = null!;
    private UdpListener serverSide = null!;
    private UdpListener phone = null!;
    private UdpListener server = null!;
    private StatefulProxy proxy = null!;

    public Task InitializeAsync()
    {
        phoneSide = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        serverSide = UdpListener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0), NullLogger.Instance, metrics);
        phone = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        server = UdpListener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0), NullLogger.Instance, metrics);
        proxy = new StatefulProxy(new ProxyIdentity([phoneSide, serverSide], []), resolver, new StatefulProxyOptions(), metrics, TimeProvider.System, NullLoggerFactory.Instance);
        phoneSide.Start(proxy, maxPending: 16);
        serverSide.Start(proxy, maxPending: 16);
        phone.Start(phoneInbox, maxPending: 16);
        server.Start(serverInbox, maxPending: 16);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        proxy.Stop();
        await phoneSide.DisposeAsync();
        await serverSide.DisposeAsync();
        await phone.DisposeAsync();
        await server.DisposeAsync();
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Rfc5658_4_InviteToAServerBehindTheOtherListener_LeavesFromItWithTwoRecordRoutes_AndTheServersByePopsBoth()
    {
        resolver.Decision = RouteDecision.Forward(server.Hop.EndPoint) with { Egress = serverSide.Hop.EndPoint };

        await SendAsync(phone, Messages.Request("INVITE"), phoneSide);
        Assert.StartsWith("SIP/2.0 100 Trying\n", (await phoneInbox.NextAsync()).Text, StringComparison.Ordinal);
        var invite = await serverInbox.NextAsync();

        Assert.Equal(serverSide.Hop.EndPoint, invite.Source);
        var forwarded = SipText.Parse(invite.Text);
        Assert.StartsWith($"SIP/2.0/UDP 127.0.0.2:{serverSide.Hop.EndPoint.Port};branch=z9hG4bK", forwarded.Of(forwarded.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal([$"<sip:127.0.0.2:{serverSide.Hop.EndPoint.Port};lr>", $"<sip:127.0.0.1:{phoneSide.Hop.EndPoint.Port};lr>"], forwarded.RecordRoutes.Select(value => forwarded.Of(value.Value)));
        await SendAsync(server, Messages.Response(invite.Text, 200, "OK"), serverSide);
        Assert.StartsWith("SIP/2.0 200 OK\n", (await phoneInbox.NextAsync()).Text, StringComparison.Ordinal);

        // The server's route set is the Record-Route as it came, top first; the phone is the dialog's remote target.
        resolver.Decision = RouteDecision.Forward(phone.Hop.EndPoint);
        var bye = $"BYE sip:alice@{phone.Hop.EndPoint} SIP/2.0\n" +
            $"Via: SIP/2.0/UDP {server.Hop.EndPoint};branch=z9hG4bKbye1;rport\n" +
            "Max-Forwards: 70\n" +
            $"Route: <sip:127.0.0.2:{serverSide.Hop.EndPoint.Port};lr>, <sip:127.0.0.1:{phoneSide.Hop.EndPoint.Port};lr>\n" +
            "From: Service <sip:service@127.0.0.1:5060>;tag=srv1\n" +
            "To: Alice <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
            "Call-ID: a84b4c76e66710@127.0.0.1\n" +
            "CSeq: 1 BYE\n" +
            "Content-Length: 0\n\n";
        await SendAsync(server, bye, serverSide);
        var atPhone = await phoneInbox.NextAsync();

        Assert.Equal(phoneSide.Hop.EndPoint, atPhone.Source);
        var byeForwarded = SipText.Parse(atPhone.Text);
        Assert.StartsWith($"BYE sip:alice@{phone.Hop.EndPoint} SIP/2.0\n", atPhone.Text, StringComparison.Ordinal);
        Assert.Empty(byeForwarded.Routes);
        Assert.StartsWith($"SIP/2.0/UDP 127.0.0.1:{phoneSide.Hop.EndPoint.Port};branch=", byeForwarded.Of(byeForwarded.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal(new NextHop("127.0.0.1", phone.Hop.EndPoint.Port, IPAddress.Loopback), resolver.Requests.Last().Target);
    }

    [Fact]
    public async Task Rfc5658_4_NoListenerNamed_LeavesFromTheListenerOnTheAddressTheRouteTableSendsFrom()
    {
        resolver.Decision = RouteDecision.Forward(server.Hop.EndPoint);

        await SendAsync(phone, Messages.Request("INVITE"), serverSide);
        var invite = await serverInbox.NextAsync();

        Assert.Equal(phoneSide.Hop.EndPoint, invite.Source);
        var forwarded = SipText.Parse(invite.Text);
        Assert.StartsWith($"SIP/2.0/UDP 127.0.0.1:{phoneSide.Hop.EndPoint.Port};branch=z9hG4bK", forwarded.Of(forwarded.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal([$"<sip:127.0.0.1:{phoneSide.Hop.EndPoint.Port};lr>", $"<sip:127.0.0.2:{serverSide.Hop.EndPoint.Port};lr>"], forwarded.RecordRoutes.Select(value => forwarded.Of(value.Value)));
    }

    [Fact]
    public async Task Rfc5658_4_LeavingByTheListenerItCameOn_OneRecordRoute()
    {
        resolver.Decision = RouteDecision.Forward(server.Hop.EndPoint) with { Egress = phoneSide.Hop.EndPoint };

        await SendAsync(phone, Messages.Request("INVITE"), phoneSide);
        var invite = await serverInbox.NextAsync();

        Assert.Equal(phoneSide.Hop.EndPoint, invite.Source);
        var forwarded = SipText.Parse(invite.Text);
        Assert.Equal([$"<sip:127.0.0.1:{phoneSide.Hop.EndPoint.Port};lr>"], forwarded.RecordRoutes.Select(value => forwarded.Of(value.Value)));
    }

    private static async Task SendAsync(UdpListener from, string text, UdpListener to) =>
        Assert.True(await from.SendAsync(SipText.Wire(text), to.Hop.EndPoint, CancellationToken.None));
}
