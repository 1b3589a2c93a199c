using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>The raw addresses a UDP send goes to: exact per destination, serialised once per destination.</summary>
public sealed class DestinationAddressCacheTests
{
    [Fact]
    public void Get_SameDestinationTwice_GivesOneAddressThatNamesIt()
    {
        var cache = new DestinationAddressCache();

        var first = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5070));
        var again = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5070));

        Assert.Same(first, again);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5070).Serialize(), first);
    }

    [Fact]
    public void Get_DestinationOnAnotherPortOrFamily_GivesItsOwnAddress()
    {
        var cache = new DestinationAddressCache();

        var primary = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5070));
        var backup = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5080));
        var v6 = cache.Get(new IPEndPoint(IPAddress.Parse("2001:db8::70"), 5070));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5070).Serialize(), primary);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.70"), 5080).Serialize(), backup);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::70"), 5070).Serialize(), v6);
    }

    [Fact]
    public void Get_MoreDestinationsThanItsCapacity_StartsOverAndStillNamesEachExactly()
    {
        var cache = new DestinationAddressCache(capacity: 4);

        for (var port = 6000; port < 6010; port++)
        {
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, port).Serialize(), cache.Get(new IPEndPoint(IPAddress.Loopback, port)));
        }
    }
}
