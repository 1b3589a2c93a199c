using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>Which listener a request leaves from (RFC 5658 §4), over hand-built listeners and a route table that answers as told.</summary>
public sealed class EgressSelectorTests
{
    private static readonly IPEndPoint Destination = new(IPAddress.Parse("10.2.0.5"), 5060);

    private readonly ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> log = new();
    private readonly FixedRouteTable routes = new();

    [Fact]
    public void NamedListener_WinsOverTheRouteTableAndTheInboundListener()
    {
        var phones = Udp("10.1.0.1");
        var servers = Udp("10.2.0.1");
        routes.Source = IPAddress.Parse("10.1.0.1");

        var chosen = Selector(phones, servers).Select(phones, SipTransportKind.Udp, Destination, servers.Hop.EndPoint);

        Assert.Same(servers, chosen);
    }

    [Fact]
    public void NamedListenerOfAnotherTransport_TheListenerOfThisTransportOnItsAddress()
    {
        var phones = Udp("10.1.0.1");
        var servers = Udp("10.2.0.1");
        var serversTcp = Listener(SipTransportKind.Tcp, "10.2.0.1");
        var phonesTcp = Listener(SipTransportKind.Tcp, "10.1.0.1");

        var chosen = Selector(phones, servers, phonesTcp, serversTcp).Select(phones, SipTransportKind.Tcp, Destination, servers.Hop.EndPoint);

        Assert.Same(serversTcp, chosen);
    }

    [Fact]
    public void NothingNamed_TheListenerOnTheRouteTablesSourceAddress()
    {
        var phones = Udp("10.1.0.1");
        var servers = Udp("10.2.0.1");
        routes.Source = IPAddress.Parse("10.2.0.1");

        var chosen = Selector(phones, servers).Select(phones, SipTransportKind.Udp, Destination, null);

        Assert.Same(servers, chosen);
        Assert.Equal([Destination.Address], routes.Asked);
    }

    [Fact]
    public void TwoListenersOnTheSourceAddress_TheInboundOneOfThem()
    {
        var phones = Udp("10.1.0.1");
        var first = Udp("10.2.0.1", 5060);
        var second = Udp("10.2.0.1", 5070);
        routes.Source = IPAddress.Parse("10.2.0.1");

        Assert.Same(second, Selector(phones, first, second).Select(second, SipTransportKind.Udp, Destination, null));
        Assert.Same(first, Selector(phones, first, second).Select(phones, SipTransportKind.Udp, Destination, null));
    }

    [Fact]
    public void NoListenerOnTheSourceAddress_AListenerOnEveryAddress()
    {
        var phones = Udp("10.1.0.1");
        var everywhere = new SharedLogTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Any, 5080), new AdvertisedAddress("10.3.0.1")), log);
        routes.Source = IPAddress.Parse("10.2.0.1");

        Assert.Same(everywhere, Selector(phones, everywhere).Select(phones, SipTransportKind.Udp, Destination, null));
    }

    [Fact]
    public void NoRouteToTheDestination_TheInboundListener()
    {
        var phones = Udp("10.1.0.1");
        var servers = Udp("10.2.0.1");
        routes.Source = null;

        Assert.Same(servers, Selector(phones, servers).Select(servers, SipTransportKind.Udp, Destination, null));
    }

    [Fact]
    public void ListenersOnOneAddressOnly_NeverAskTheRouteTable()
    {
        var udp = Udp("10.1.0.1", 5060);
        var other = Udp("10.1.0.1", 5070);
        routes.Source = IPAddress.Parse("10.2.0.1");

        Assert.Same(other, Selector(udp, other).Select(other, SipTransportKind.Udp, Destination, null));
        Assert.Empty(routes.Asked);
    }

    [Fact]
    public void InboundOfAnotherTransport_TheFirstListenerOfTheTransportAsked()
    {
        var udp = Udp("10.1.0.1");
        var tcp = Listener(SipTransportKind.Tcp, "10.1.0.1");

        Assert.Same(tcp, Selector(udp, tcp).Select(udp, SipTransportKind.Tcp, Destination, null));
        Assert.Null(Selector(udp).Select(udp, SipTransportKind.Tcp, Destination, null));
    }

    private EgressSelector Selector(params ISipTransport[] listeners) => new(listeners, routes);

    private SharedLogTransport Udp(string address, int port = 5060) => Listener(SipTransportKind.Udp, address, port);

    private SharedLogTransport Listener(SipTransportKind transport, string address, int port = 5060) =>
        new(new LocalHop(transport, new IPEndPoint(IPAddress.Parse(address), port)), log);

    private sealed class FixedRouteTable : IRouteTable
    {
        public IPAddress? Source { get; set; }

        public ConcurrentQueue<IPAddress> Asked { get; } = new();

        public IPAddress? SourceAddressFor(IPAddress destination)
        {
            Asked.Enqueue(destination);
            return Source;
        }
    }
}
