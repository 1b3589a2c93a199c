using System.Net;
using System.Text;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>How a listener names itself in Via and Record-Route (RFC 3261 §16.6 steps 4 and 8): its advertised name, else its address.</summary>
public sealed class LocalHopTests
{
    [Fact]
    public void Rfc3261_16_6_WildcardListenerWithAdvertisedAddress_NamesItAtTheListenersPort()
    {
        var hop = new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Any, 5060), new AdvertisedAddress("10.0.0.10"));

        Assert.Equal("10.0.0.10:5060", Encoding.ASCII.GetString(hop.SentBy));
        Assert.Equal("Via: SIP/2.0/UDP 10.0.0.10:5060;branch=", Encoding.ASCII.GetString(hop.ViaPrefix));
        Assert.Equal("Record-Route: <sip:10.0.0.10:5060;lr>\r\n", Encoding.ASCII.GetString(hop.RecordRouteLine));
        Assert.Equal("udp://0.0.0.0:5060;advertise=10.0.0.10", hop.ToString());
        Assert.True(hop.IsWildcard);
    }

    [Fact]
    public void Rfc3261_16_6_AdvertisedAddressAndPort_NamesBoth()
    {
        var hop = new LocalHop(SipTransportKind.Tcp, new IPEndPoint(IPAddress.IPv6Any, 5060), new AdvertisedAddress("fd00::10", 30060));

        Assert.Equal("[fd00::10]:30060", Encoding.ASCII.GetString(hop.SentBy));
        Assert.Equal("Record-Route: <sip:[fd00::10]:30060;transport=tcp;lr>\r\n", Encoding.ASCII.GetString(hop.RecordRouteLine));
        Assert.Equal("tcp://[::]:5060;advertise=[fd00::10]:30060", hop.ToString());
    }

    [Fact]
    public void NothingAdvertised_NamesTheBoundAddress()
    {
        var hop = new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));

        Assert.Equal("127.0.0.1:5060", Encoding.ASCII.GetString(hop.SentBy));
        Assert.Equal("udp://127.0.0.1:5060", hop.ToString());
        Assert.False(hop.IsWildcard);
    }

    [Theory]
    [InlineData("10.0.0.10", 5060, true)]
    [InlineData("10.0.0.10", 0, true)]
    [InlineData("10.0.0.10", 5070, false)]
    [InlineData("0.0.0.0", 5060, false)]
    public void IsNamedBy_WildcardListener_ItsAdvertisedAddressOnly(string host, int port, bool named)
    {
        var hop = new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Any, 5060), new AdvertisedAddress("10.0.0.10"));

        Assert.Equal(named, hop.IsNamedBy(Encoding.ASCII.GetBytes(host), IPAddress.Parse(host), port));
    }

    [Theory]
    [InlineData("203.0.113.5", 30060, true)]
    [InlineData("203.0.113.5", 5060, false)]
    [InlineData("10.0.0.5", 5060, true)]
    [InlineData("10.0.0.5", 30060, false)]
    public void IsNamedBy_ListenerBehindANat_ItsPublicNameAndItsOwnAddress(string host, int port, bool named)
    {
        var hop = new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.5"), 5060), new AdvertisedAddress("203.0.113.5", 30060));

        Assert.Equal(named, hop.IsNamedBy(Encoding.ASCII.GetBytes(host), IPAddress.Parse(host), port));
    }

    [Fact]
    public void IsNamedBy_AdvertisedHostName_MatchesIgnoringCase()
    {
        var hop = new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Any, 5060), new AdvertisedAddress("sip-a.example.com"));

        Assert.True(hop.IsNamedBy("SIP-A.Example.com"u8, null, 0));
        Assert.False(hop.IsNamedBy("sip-b.example.com"u8, null, 0));
        Assert.Equal("Via: SIP/2.0/UDP sip-a.example.com:5060;branch=", Encoding.ASCII.GetString(hop.ViaPrefix));
    }
}
