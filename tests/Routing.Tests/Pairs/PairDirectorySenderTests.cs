using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Tests.Pairs;

/// <summary>Which member a request came from: UDP members by address and port, TCP/TLS members (ephemeral ports) by an address of their own.</summary>
public sealed class PairDirectorySenderTests
{
    private readonly PairDirectory directory = PairDirectory.Resolve(
        [
            new PairAddresses("udp-pair", "127.0.0.1:5070", "127.0.0.1:5080"),
            new PairAddresses("tcp-pair", "127.0.0.51:5060", "127.0.0.52:5060"),
            new PairAddresses("shared-host", "127.0.0.61:5060", "127.0.0.61:5070"),
        ],
        [
            new PairPlacement("udp-pair", null, SipTransportKind.Udp),
            new PairPlacement("tcp-pair", null, SipTransportKind.Tcp),
            new PairPlacement("shared-host", null, SipTransportKind.Tls),
        ]);

    [Fact]
    public void UdpMember_IsRecognisedByItsSipPortOnly()
    {
        Assert.Equal(PairMemberRole.Primary, directory.FindSender(new IPEndPoint(IPAddress.Loopback, 5070))?.Role);
        Assert.Null(directory.FindSender(new IPEndPoint(IPAddress.Loopback, 40000)));
    }

    [Fact]
    public void TcpMemberConnectingFromAnyPort_IsRecognisedByItsAddress()
    {
        var sender = directory.FindSender(new IPEndPoint(IPAddress.Parse("127.0.0.52"), 40000));

        Assert.Equal(("tcp-pair", PairMemberRole.Backup), (sender?.Pair, sender?.Role));
    }

    [Fact]
    public void StreamMembersSharingAnAddress_AreOnlyRecognisedByTheirSipPort()
    {
        Assert.Null(directory.FindSender(new IPEndPoint(IPAddress.Parse("127.0.0.61"), 40000)));
        Assert.Equal(PairMemberRole.Backup, directory.FindSender(new IPEndPoint(IPAddress.Parse("127.0.0.61"), 5070))?.Role);
    }
}
