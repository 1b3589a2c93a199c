using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>The least wait over an interval: a queue that stands, not a burst or a pause.</summary>
public sealed class StandingQueueDelayTests
{
    private static readonly long Interval = StandingQueueDelay.Interval.Ticks;
    private static readonly long Start = DateTime.UnixEpoch.AddYears(56).Ticks;

    [Fact]
    public void Burst_OneDatagramWaitedLongAmongShortWaits_TheIntervalsLeastWaitIsShort()
    {
        var delay = new StandingQueueDelay();
        delay.Add(Ms(2), Start);
        delay.Add(Ms(2), Start + (Interval / 4));
        delay.Add(Ms(300), Start + (Interval / 2));
        delay.Add(Ms(1), Start + (Interval * 3 / 4));

        Assert.True(delay.Add(Ms(3), Start + Interval));
        Assert.Equal(Ms(1), delay.Standing);
    }

    [Fact]
    public void StandingQueue_EveryDatagramOfTheIntervalWaited_TheLeastOfThemIsRecorded()
    {
        var delay = new StandingQueueDelay();
        delay.Add(Ms(190), Start);
        Assert.False(delay.Add(Ms(180), Start + 1));
        delay.Add(Ms(150), Start + (Interval / 2));
        delay.Add(Ms(170), Start + (Interval * 3 / 4));

        Assert.True(delay.Add(Ms(160), Start + Interval));
        Assert.Equal(Ms(150), delay.Standing);
    }

    [Fact]
    public void QuietSpell_AfterAStandingQueue_TheNextDatagramThatDidNotWaitEndsIt()
    {
        var delay = new StandingQueueDelay();
        delay.Add(Ms(0), Start);
        delay.Add(Ms(200), Start + 1);
        delay.Add(Ms(200), Start + Interval);
        Assert.Equal(TimeSpan.Zero, delay.Standing);
        delay.Add(Ms(210), Start + Interval + 1);
        delay.Add(Ms(220), Start + (2 * Interval));
        Assert.Equal(Ms(200), delay.Standing);

        Assert.True(delay.Add(TimeSpan.Zero, Start + (50 * Interval)));
        Assert.Equal(TimeSpan.Zero, delay.Standing);
    }

    [Fact]
    public void ClockSteppedBack_AWaitThatLooksNegative_CountsAsNone()
    {
        var delay = new StandingQueueDelay();
        delay.Add(Ms(-500), Start);

        Assert.Equal(TimeSpan.Zero, delay.Standing);
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
