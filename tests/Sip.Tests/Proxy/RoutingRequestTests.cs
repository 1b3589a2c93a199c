using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>What the resolver learns of a request: its listener, Request-URI parts and the next-hop header, which is never forwarded.</summary>
public sealed class RoutingRequestTests : IDisposable
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);

    private readonly FakeResolver resolver = new();
    private readonly RecordingTransport transport = new();
    private readonly SipMetrics metrics = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Request_CarriesListenerAndRequestUriUserAndHost()
    {
        await Proxy(nextHopHeader: null).HandleAsync(SipText.Wire(SipText.Invite), Caller, transport, CancellationToken.None);

        var routed = Assert.Single(resolver.Requests);
        Assert.Same(Hops.Proxy, routed.Listener);
        Assert.Equal("service", routed.RequestUriUser);
        Assert.Equal("127.0.0.1", routed.RequestUriHost);
        Assert.Null(routed.NamedNextHop);
    }

    [Fact]
    public async Task NextHopHeader_IsGivenToTheResolverAndStripped()
    {
        var invite = SipText.Invite.Replace("X-Custom: kept as it is", "X-Route-To: <sip:carrier.example.net;transport=tcp>", StringComparison.Ordinal);

        await Proxy("x-route-to").HandleAsync(SipText.Wire(invite), Caller, transport, CancellationToken.None);

        var named = Assert.Single(resolver.Requests).NamedNextHop;
        Assert.Equal(new NextHop("carrier.example.net", 5060, null, SipTransportKind.Tcp) { PortIsDefault = true }, named);
        var (forwarded, _) = transport.Single();
        Assert.DoesNotContain("X-Route-To", SipText.Text(forwarded.Span), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SipsTarget_AsksForTlsOnPort5061()
    {
        var invite = SipText.Invite.Replace("X-Custom: kept as it is", "Route: <sips:10.0.0.9;lr>", StringComparison.Ordinal);

        await Proxy(nextHopHeader: null).HandleAsync(SipText.Wire(invite), Caller, transport, CancellationToken.None);

        Assert.Equal(new NextHop("10.0.0.9", 5061, IPAddress.Parse("10.0.0.9"), SipTransportKind.Tls) { PortIsDefault = true }, Assert.Single(resolver.Requests).Target);
    }

    private StatelessProxy Proxy(string? nextHopHeader) =>
        new(Hops.Identity, resolver, new ProxyCoreOptions { NextHopHeader = nextHopHeader }, metrics, NullLogger<StatelessProxy>.Instance);
}
