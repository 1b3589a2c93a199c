using System.Net;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Silo.Routing;
using OrleansProxy.Silo.Sip;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Sip;

/// <summary>Which name a TLS server's certificate must carry: a TLS member's configured host name, a located domain, else none.</summary>
public sealed class TlsServerNamesTests
{
    private static readonly ProbeSettings Probe = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

    private readonly TlsServerNames names = new(PairDirectory.Resolve(
        [
            new HaPairSettings("tls-by-name", "localhost:5061", "127.0.0.1:5062", Probe),
            new HaPairSettings("tcp-by-name", "localhost:5070", "localhost:5071", Probe),
        ],
        [
            new PairPlacement("tls-by-name", null, SipTransportKind.Tls),
            new PairPlacement("tcp-by-name", null, SipTransportKind.Tcp),
        ]));

    private static IPEndPoint Localhost(int port) => new(Dns.GetHostAddresses("localhost")[0], port);

    [Fact]
    public void TlsMemberConfiguredByName_MustCarryThatName()
    {
        Assert.Equal("localhost", names.For(Localhost(5061)));
    }

    [Fact]
    public void TlsMemberConfiguredByAddressOrTcpMember_HasNoNameToCheck()
    {
        Assert.Null(names.For(new IPEndPoint(IPAddress.Loopback, 5062)));
        Assert.Null(names.For(Localhost(5070)));
    }

    [Fact]
    public void TargetLocatedForADomain_MustCarryTheDomain()
    {
        var target = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5061);

        names.Located(target, "carrier.example");

        Assert.Equal("carrier.example", names.For(target));
    }
}
