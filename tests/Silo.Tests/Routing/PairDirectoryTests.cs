using System.Net;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Routing;

public sealed class PairDirectoryTests
{
    private static readonly PairDirectory Directory = Resolve();

    [Fact]
    public void Find_MemberEndPoint_PairRoleTransportAndSite()
    {
        var member = Directory.Find(IPEndPoint.Parse("10.1.1.2:5060"));

        Assert.NotNull(member);
        Assert.Equal(("media", PairMemberRole.Backup, "10.1.1.2:5060", SipTransportKind.Tcp, "berlin"), (member.Pair, member.Role, member.Address, member.Transport, member.Site));
    }

    [Theory]
    [InlineData("10.2.0.1:5060", "hamburg")]
    [InlineData("10.2.0.1:5061", null)]
    [InlineData("10.9.9.9:5060", null)]
    public void Find_NextHop_MemberOnlyOnTheConfiguredPort(string hop, string? pair)
    {
        Assert.Equal(pair, Directory.Find(RoutingFixtures.Hop(hop))?.Pair);
    }

    [Fact]
    public void MemberAt_KnownOrUnknownAddress_MemberOrThrows()
    {
        Assert.Equal(IPEndPoint.Parse("10.1.0.1:5060"), Directory.EndPointOf("10.1.0.1:5060"));
        Assert.Throws<KeyNotFoundException>(() => Directory.MemberAt("10.9.9.9:5060"));
    }

    private static PairDirectory Resolve()
    {
        var settings = RoutingFixtures.Settings();
        return PairDirectory.Resolve(settings.Pairs.ToPairAddresses(), settings.Routing.Pairs);
    }
}
