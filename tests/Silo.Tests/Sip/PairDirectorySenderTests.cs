using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Silo.Routing;
using OrleansProxy.Silo.Sip;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Sip;

/// <summary>Which member a request came from: UDP members by address and port, TCP/TLS members (ephemeral ports) by an address of their own.</summary>
public sealed class PairDirectorySenderTests
{
    private static readonly ProbeSettings Probe = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

    private readonly PairDirectory directory = PairDirectory.Resolve(
        [
            new HaPairSettings("udp-pair", "127.0.0.1:5070", "127.0.0.1:5080", Probe),
            new HaPairSettings("tcp-pair", "127.0.0.51:5060", "127.0.0.52:5060", Probe),
            new HaPairSettings("shared-host", "127.0.0.61:5060", "127.0.0.61:5070", Probe),
        ],
        [
            new PairPlacement("udp-pair", null, SipTransportKind.Udp),
            new PairPlacement("tcp-pair", null, SipTransportKind.Tcp),
            new PairPlacement("shared-host", null, SipTransportKind.Tls),
        ]);

    [Fact]
    public void UdpMember_IsRecognisedByItsSipPortOnly()
    {
        Assert.Equal(MemberRole.Primary, directory.FindSender(new IPEndPoint(IPAddress.Loopback, 5070))?.Role);
        Assert.Null(directory.FindSender(new IPEndPoint(IPAddress.Loopback, 40000)));
    }

    [Fact]
    public void TcpMemberConnectingFromAnyPort_IsRecognisedByItsAddress()
    {
        var sender = directory.FindSender(new IPEndPoint(IPAddress.Parse("127.0.0.52"), 40000));

        Assert.Equal(("tcp-pair", MemberRole.Backup), (sender?.Pair, sender?.Role));
    }

    [Fact]
    public void StreamMembersSharingAnAddress_AreOnlyRecognisedByTheirSipPort()
    {
        Assert.Null(directory.FindSender(new IPEndPoint(IPAddress.Parse("127.0.0.61"), 40000)));
        Assert.Equal(MemberRole.Backup, directory.FindSender(new IPEndPoint(IPAddress.Parse("127.0.0.61"), 5070))?.Role);
    }
}
