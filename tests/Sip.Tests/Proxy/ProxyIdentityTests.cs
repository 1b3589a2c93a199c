using System.Collections.Concurrent;
using System.Net;
using System.Text;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

public sealed class ProxyIdentityTests
{
    private readonly ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> log = new();

    [Theory]
    [InlineData("10.0.0.10", 5060, true)]
    [InlineData("10.0.0.10", 0, true)]
    [InlineData("[fd00::10]", 5060, true)]
    [InlineData("0.0.0.0", 5060, false)]
    [InlineData("[::]", 5060, false)]
    public void Rfc3261_16_4_WildcardListeners_AreNamedByWhatTheyAdvertise(string host, int port, bool self)
    {
        var identity = new ProxyIdentity(
            [
                new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Any, 5060), new AdvertisedAddress("10.0.0.10")),
                new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Any, 5060), new AdvertisedAddress("fd00::10")),
            ],
            []);

        Assert.Equal(self, identity.IsSelf(Encoding.ASCII.GetBytes(host), port));
    }

    [Fact]
    public void Rfc3261_16_4_IsSelf_ForeignHostAndAliasOnAPort_AllocatesNothing()
    {
        var identity = Hops.Identity;
        var foreign = "pbx.example.com"u8.ToArray();
        var alias = "sip-proxy.example.com"u8.ToArray();
        Assert.False(identity.IsSelf(foreign, 0));
        Assert.True(identity.IsSelf(alias, 5060));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            identity.IsSelf(foreign, 5060);
            identity.IsSelf(alias, 5060);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Rfc5658_4_ListenersOnTwoAddresses_TwoRecordRoutesTheOutboundOnTop()
    {
        var phones = Listener("10.1.0.1");
        var servers = Listener("10.2.0.1");
        var identity = new ProxyIdentity([phones, servers], []);

        Assert.Equal(
            "Record-Route: <sip:10.2.0.1:5060;lr>\r\nRecord-Route: <sip:10.1.0.1:5060;lr>\r\n",
            Encoding.ASCII.GetString(identity.RecordRouteFor(phones.Hop, servers.Hop)));
    }

    [Fact]
    public void Rfc5658_4_ListenersOnTwoAddressesNamedByOneAlias_OneRecordRoute()
    {
        var phones = Listener("10.1.0.1");
        var servers = Listener("10.2.0.1");
        var identity = new ProxyIdentity([phones, servers], ["sip-proxy.example.com"]);

        Assert.Equal("Record-Route: <sip:sip-proxy.example.com;lr>\r\n", Encoding.ASCII.GetString(identity.RecordRouteFor(phones.Hop, servers.Hop)));
    }

    private SharedLogTransport Listener(string address) => new(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(address), 5060)), log);
}
