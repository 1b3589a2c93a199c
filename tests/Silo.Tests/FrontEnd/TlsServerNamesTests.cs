using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.FrontEnd;

/// <summary>Which name a TLS server's certificate must carry: a TLS member's configured host name, a located domain, else none.</summary>
public sealed class TlsServerNamesTests
{
    private readonly TlsServerNames names = new(PairDirectory.Resolve(
        [
            new PairAddresses("tls-by-name", "localhost:5061", "127.0.0.1:5062"),
            new PairAddresses("tcp-by-name", "localhost:5070", "localhost:5071"),
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
