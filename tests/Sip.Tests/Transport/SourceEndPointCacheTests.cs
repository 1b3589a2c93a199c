using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>The endpoints a receive loop hands on: exact per sender (RFC 3261 §18.2.1 answers there), one object per sender.</summary>
public sealed class SourceEndPointCacheTests
{
    [Fact]
    public void Get_SameSenderTwice_GivesOneEndPoint()
    {
        var cache = new SourceEndPointCache();
        var received = new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062).Serialize();

        var first = cache.Get(received);
        var again = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062).Serialize());

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062), first);
        Assert.Same(first, again);
    }

    [Fact]
    public void Get_SenderOnAnotherPortOrAddress_GivesItsOwnEndPoint()
    {
        var cache = new SourceEndPointCache();

        var phone = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062).Serialize());
        var otherPort = cache.Get(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5063).Serialize());
        var v6 = cache.Get(new IPEndPoint(IPAddress.Parse("2001:db8::33"), 5062).Serialize());

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062), phone);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5063), otherPort);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::33"), 5062), v6);
    }

    [Fact]
    public void Get_ReusedAddressFilledByTheNextReceive_DoesNotChangeAnEndPointGivenBefore()
    {
        var cache = new SourceEndPointCache();
        var reused = new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062).Serialize();
        var phone = cache.Get(reused);

        new IPEndPoint(IPAddress.Parse("198.51.100.10"), 5060).Serialize().Buffer.Span.CopyTo(reused.Buffer.Span);
        var server = cache.Get(reused);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.33"), 5062), phone);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.10"), 5060), server);
    }

    [Fact]
    public void Get_MoreSendersThanItsCapacity_StillGivesEachItsOwnEndPoint()
    {
        var cache = new SourceEndPointCache(capacity: 4);

        for (var port = 1; port <= 10; port++)
        {
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), cache.Get(new IPEndPoint(IPAddress.Loopback, port).Serialize()));
        }
    }
}
