using System.Net;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Diagnostics;

namespace OrleansProxy.Sip.Tests.Diagnostics;

public sealed class BadInputLogLimiterTests
{
    private const int Event = 1100;
    private const int Fault = 3;
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.9");
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider time = new();

    [Fact]
    public void ShouldLog_OneSourceAndFault_WritesOneLinePerWindowAndCountsTheRest()
    {
        var limiter = new BadInputLogLimiter(Window, maxLinesPerSecond: 100, maxSources: 16, time);

        Assert.True(limiter.ShouldLog(Flooder, Event, Fault, out var first));
        var heldBack = (long)Enumerable.Range(0, 999).Count(attempt => !limiter.ShouldLog(Flooder, Event, Fault, out _));
        time.Advance(Window);
        Assert.True(limiter.ShouldLog(Flooder, Event, Fault, out var reported));

        Assert.Equal(0, first);
        Assert.Equal(999, heldBack);
        Assert.Equal(999, reported);
    }

    [Fact]
    public void ShouldLog_AnotherFaultOrSource_HasAWindowOfItsOwn()
    {
        var limiter = new BadInputLogLimiter(Window, maxLinesPerSecond: 100, maxSources: 16, time);

        Assert.True(limiter.ShouldLog(Flooder, Event, Fault, out _));
        Assert.True(limiter.ShouldLog(Flooder, Event, Fault + 1, out _));
        Assert.True(limiter.ShouldLog(Flooder, Event + 1, Fault, out _));
        Assert.True(limiter.ShouldLog(IPAddress.Loopback, Event, Fault, out _));
        Assert.False(limiter.ShouldLog(Flooder, Event, Fault, out _));
    }

    [Fact]
    public void ShouldLog_ManySourcesAtOnce_StaysWithinTheLinesPerSecond()
    {
        var limiter = new BadInputLogLimiter(Window, maxLinesPerSecond: 5, maxSources: 10_000, time);

        var written = Enumerable.Range(1, 1000).Count(i => limiter.ShouldLog(new IPAddress(0x7F000000 + i), Event, Fault, out _));
        time.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = Enumerable.Range(1, 1000).Count(i => limiter.ShouldLog(new IPAddress(0x7F000000 + i), Event, Fault, out _));

        Assert.Equal(5, written);
        Assert.Equal(5, nextSecond);
    }

    [Fact]
    public void ShouldLog_PastTheSourceBound_NewSourcesShareOneEntryAndItsCount()
    {
        var limiter = new BadInputLogLimiter(Window, maxLinesPerSecond: 1000, maxSources: 4, time);
        for (var i = 1; i <= 4; i++)
        {
            // Each goes on flooding, so none is quiet enough to be forgotten.
            Assert.True(limiter.ShouldLog(new IPAddress(0x7F000000 + i), Event, Fault, out _));
            Assert.False(limiter.ShouldLog(new IPAddress(0x7F000000 + i), Event, Fault, out _));
        }

        Assert.True(limiter.ShouldLog(new IPAddress(0x7F000000 + 5), Event, Fault, out _));
        Assert.False(limiter.ShouldLog(new IPAddress(0x7F000000 + 6), Event, Fault, out _));
        time.Advance(Window);
        Assert.True(limiter.ShouldLog(new IPAddress(0x7F000000 + 7), Event, Fault, out var shared));

        Assert.Equal(1, shared);
    }

    [Fact]
    public void ShouldLog_QuietSourcesAreForgotten_SoNewSourcesGetEntriesOfTheirOwnAgain()
    {
        var limiter = new BadInputLogLimiter(Window, maxLinesPerSecond: 1000, maxSources: 2, time);
        Assert.True(limiter.ShouldLog(new IPAddress(0x7F000001), Event, Fault, out _));
        Assert.True(limiter.ShouldLog(new IPAddress(0x7F000002), Event, Fault, out _));

        time.Advance(Window);
        Assert.True(limiter.ShouldLog(new IPAddress(0x7F000003), Event, Fault, out _));
        Assert.False(limiter.ShouldLog(new IPAddress(0x7F000003), Event, Fault, out _));
        Assert.True(limiter.ShouldLog(new IPAddress(0x7F000004), Event, Fault, out _));
    }
}
