using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// A proxy with UDP and TCP listeners on IPv4 and UDP on IPv6: requests leave on the transport the resolver names,
/// oversize requests move to TCP, bridged dialogs get two Record-Routes and lose both on the way back.
/// </summary>
public sealed class TransportBridgingTests : IDisposable
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 5070);

    private readonly ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> sent = new();
    private readonly SharedLogTransport udp;
    private readonly SharedLogTransport tcp;
    private readonly SharedLogTransport udp6;
    private readonly FakeResolver resolver = new();
    private readonly SipMetrics metrics = new();
    private readonly ProxyIdentity identity;

    public TransportBridgingTests()
    {
        udp = new SharedLogTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), sent);
        tcp = new SharedLogTransport(new LocalHop(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060)), sent);
        udp6 = new SharedLogTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060)), sent);
        identity = new ProxyIdentity([udp, tcp, udp6], []);
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task UdpInviteToATcpServer_LeavesOnTcpWithATcpViaAndTwoRecordRoutes()
    {
        resolver.Decision = RouteDecision.Forward(Server, SipTransportKind.Tcp);

        await Stateless().HandleAsync(SipText.Wire(SipText.Invite), Caller, udp, CancellationToken.None);

        var (text, destination, hop) = Assert.Single(sent);
        Assert.Same(tcp.Hop, hop);
        Assert.Equal(Server, destination);
        var forwarded = SipText.Parse(text);
        Assert.StartsWith("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK", forwarded.Of(forwarded.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal(["<sip:127.0.0.1:5060;transport=tcp;lr>", "<sip:127.0.0.1:5060;lr>"], forwarded.RecordRoutes.Select(value => forwarded.Of(value.Value)));
    }

    [Fact]
    public async Task InDialogRequestWithBothOfOurRoutes_PopsBothAndRoutesOnTheNext()
    {
        var bye = SipText.Invite
            .Replace("INVITE sip:service@127.0.0.1:5060", "BYE sip:service@127.0.0.1:5070", StringComparison.Ordinal)
            .Replace("314159 INVITE", "314160 BYE", StringComparison.Ordinal)
            .Replace("To: Service <sip:service@127.0.0.1:5060>", "To: Service <sip:service@127.0.0.1:5060>;tag=srv1", StringComparison.Ordinal)
            .Replace("X-Custom: kept as it is", "Route: <sip:127.0.0.1:5060;lr>, <sip:127.0.0.1:5060;transport=tcp;lr>\nRoute: <sip:10.0.0.7;lr>", StringComparison.Ordinal);

        await Stateless().HandleAsync(SipText.Wire(bye), Caller, udp, CancellationToken.None);

        var forwarded = SipText.Parse(Assert.Single(sent).Text);
        Assert.Equal(["<sip:10.0.0.7;lr>"], forwarded.Routes.Select(value => forwarded.Of(value.Value)));
        Assert.Equal(new NextHop("10.0.0.7", 5060, IPAddress.Parse("10.0.0.7")) { PortIsDefault = true }, Assert.Single(resolver.Requests).Target);
    }

    [Fact]
    public async Task RequestTooLargeForUdp_MovesToTcp()
    {
        var large = SipText.Invite.Replace("X-Custom: kept as it is", "X-Custom: " + new string('a', 1400), StringComparison.Ordinal);

        await Stateless().HandleAsync(SipText.Wire(large), Caller, udp, CancellationToken.None);

        Assert.Same(tcp.Hop, Assert.Single(sent).Hop);
    }

    [Fact]
    public async Task RequestTooLargeForUdp_NoTcpListener_StaysOnUdp()
    {
        var large = SipText.Invite.Replace("X-Custom: kept as it is", "X-Custom: " + new string('a', 1400), StringComparison.Ordinal);
        var udpOnly = new StatelessProxy(new ProxyIdentity([udp, udp6], []), resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);

        await udpOnly.HandleAsync(SipText.Wire(large), Caller, udp, CancellationToken.None);

        Assert.Same(udp.Hop, Assert.Single(sent).Hop);
    }

    [Fact]
    public async Task ServerWithNoListenerOfItsFamily_Gets503NamingTheMissingListener()
    {
        resolver.Decision = RouteDecision.Forward(new IPEndPoint(IPAddress.IPv6Loopback, 5070), SipTransportKind.Tcp);

        await Stateless().HandleAsync(SipText.Wire(SipText.Invite), Caller, udp, CancellationToken.None);

        var (text, destination, hop) = Assert.Single(sent);
        Assert.StartsWith("SIP/2.0 503 Service Unavailable (no tcp listener for IPv6)\n", text, StringComparison.Ordinal);
        Assert.Equal(Caller, destination);
        Assert.Same(udp.Hop, hop);
    }

    [Fact]
    public async Task IPv4CallerToAnIPv6Server_LeavesOnTheIPv6Listener()
    {
        var server6 = new IPEndPoint(IPAddress.IPv6Loopback, 5070);
        resolver.Decision = RouteDecision.Forward(server6);

        await Stateless().HandleAsync(SipText.Wire(SipText.Invite), Caller, udp, CancellationToken.None);

        var (text, destination, hop) = Assert.Single(sent);
        Assert.Same(udp6.Hop, hop);
        Assert.Equal(server6, destination);
        Assert.Contains("Via: SIP/2.0/UDP [::1]:5060;branch=", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseFromATcpServer_GoesBackOverTheTransportTheCallersViaNames()
    {
        var response = SipText.Ringing.Replace("Via: SIP/2.0/UDP 127.0.0.1:5060;", "Via: SIP/2.0/TCP 127.0.0.1:5060;", StringComparison.Ordinal);

        await Stateless().HandleAsync(SipText.Wire(response), Server, tcp, CancellationToken.None);

        var (_, destination, hop) = Assert.Single(sent);
        Assert.Same(udp.Hop, hop);
        Assert.Equal(Caller, destination);
    }

    [Fact]
    public async Task Rfc3261_18_2_2_ResponseTooLargeForUdp_GoesBackOverUdpAsItsRequestCame()
    {
        var large = SipText.Ringing.Replace("Content-Length: 0\n", "X-Custom: " + new string('a', 1400) + "\nContent-Length: 0\n", StringComparison.Ordinal);

        await Stateless().HandleAsync(SipText.Wire(large), Server, udp, CancellationToken.None);

        var (_, destination, hop) = Assert.Single(sent);
        Assert.Same(udp.Hop, hop);
        Assert.Equal(Caller, destination);
    }

    [Fact]
    public async Task RequestArrivingOverTcp_StampsRportAndReceivedSoTheResponseFindsTheConnection()
    {
        var overTcp = SipText.Invite.Replace("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport", "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK776asdhds", StringComparison.Ordinal);
        var connection = new IPEndPoint(IPAddress.Loopback, 40123);

        await Stateless().HandleAsync(SipText.Wire(overTcp), connection, tcp, CancellationToken.None);

        var forwarded = SipText.Parse(Assert.Single(sent).Text);
        Assert.Equal("SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport=40123;received=127.0.0.1", forwarded.Of(forwarded.Vias[1].Value));
    }

    [Fact]
    public async Task StatefulProxy_UdpInviteToATcpServer_ClientTransactionUsesTcp()
    {
        resolver.Decision = RouteDecision.Forward(Server, SipTransportKind.Tcp);
        var proxy = new StatefulProxy(identity, resolver, new StatefulProxyOptions(), metrics, TimeProvider.System, NullLoggerFactory.Instance);
        try
        {
            await proxy.HandleAsync(SipText.Wire(SipText.Invite), Caller, udp, CancellationToken.None);

            var sends = sent.ToArray();
            Assert.Equal(2, sends.Length);
            Assert.StartsWith("SIP/2.0 100 Trying\n", sends[0].Text, StringComparison.Ordinal);
            Assert.Same(udp.Hop, sends[0].Hop);
            Assert.StartsWith("INVITE ", sends[1].Text, StringComparison.Ordinal);
            Assert.Same(tcp.Hop, sends[1].Hop);
            Assert.Contains("Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK", sends[1].Text, StringComparison.Ordinal);
        }
        finally
        {
            proxy.Stop();
        }
    }

    private StatelessProxy Stateless() =>
        new(identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
}
