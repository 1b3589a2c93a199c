using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// A proxy listening on 0.0.0.0 that advertises 127.0.0.1, on real UDP sockets: what it writes into Via and
/// Record-Route (RFC 3261 §16.6 steps 4 and 8) must reach it, and 0.0.0.0 reaches nobody.
/// </summary>
public sealed class WildcardListenerTests : IAsyncLifetime, IDisposable
{
    private readonly FakeResolver resolver = new();
    private readonly SipMetrics metrics = new();
    private readonly ChannelHandler serverInbox = new();
    private UdpListener listener = null!;
    private UdpListener phone = null!;
    private UdpListener server = null!;

    public Task InitializeAsync()
    {
        listener = UdpListener.Bind(new IPEndPoint(IPAddress.Any, 0), NullLogger.Instance, metrics, advertised: new AdvertisedAddress("127.0.0.1"));
        phone = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        server = UdpListener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0), NullLogger.Instance, metrics);
        var proxy = new StatelessProxy(new ProxyIdentity([listener], []), resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
        listener.Start(proxy, maxPending: 16);
        phone.Start(new ChannelHandler(), maxPending: 16);
        server.Start(serverInbox, maxPending: 16);
        resolver.Decision = RouteDecision.Forward(server.Hop.EndPoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await listener.DisposeAsync();
        await phone.DisposeAsync();
        await server.DisposeAsync();
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Rfc3261_16_6_InviteThroughAWildcardListener_ViaAndRecordRouteNameTheAdvertisedAddress()
    {
        var port = listener.Hop.EndPoint.Port;

        await SendAsync(Messages.Request("INVITE"));
        var invite = await serverInbox.NextAsync();

        var forwarded = SipText.Parse(invite.Text);
        Assert.StartsWith($"SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK", forwarded.Of(forwarded.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal([$"<sip:127.0.0.1:{port};lr>"], forwarded.RecordRoutes.Select(value => forwarded.Of(value.Value)));
        Assert.DoesNotContain("0.0.0.0", invite.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc3261_16_4_RouteNamingTheAdvertisedAddress_IsOursAndPopped()
    {
        var bye = Messages.Request("BYE", toTag: "srv1").Replace("Max-Forwards: 70\n", $"Max-Forwards: 70\nRoute: <sip:127.0.0.1:{listener.Hop.EndPoint.Port};lr>\n", StringComparison.Ordinal);

        await SendAsync(bye);
        var forwarded = SipText.Parse((await serverInbox.NextAsync()).Text);

        Assert.Empty(forwarded.Routes);
        Assert.Equal(new NextHop("127.0.0.1", 5060, IPAddress.Loopback), Assert.Single(resolver.Requests).Target);
    }

    private async Task SendAsync(string text) =>
        Assert.True(await phone.SendAsync(SipText.Wire(text), new IPEndPoint(IPAddress.Loopback, listener.Hop.EndPoint.Port), CancellationToken.None));
}
