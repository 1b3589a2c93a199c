using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Timing;

namespace OrleansProxy.Sip.Tests.Timing;

/// <summary>The one timer wheel behind RFC 3261 §17's timers: never early, at most a slot late, no entry lost or doubled.</summary>
public sealed class TimerWheelTests : IDisposable
{
    private static readonly TimeSpan Slot = TimerWheel.DefaultSlot;

    private readonly FakeTimeProvider time = new();
    private readonly TimerWheel wheel;

    public TimerWheelTests()
    {
        wheel = new TimerWheel(time);
    }

    public void Dispose() => wheel.Dispose();

    /// <summary>
    /// Moves the clock one slot at a time, as a real clock passes every tick: one long advance of the fake clock would
    /// run a single tick at its end, for every entry due on the way.
    /// </summary>
    private void Step(TimeSpan total)
    {
        for (var passed = TimeSpan.Zero; passed < total; passed += Slot)
        {
            time.Advance(Slot);
        }
    }

    [Fact]
    public void Arm_OnASlotBoundary_FiresAtItsDueTimeAndNotBefore()
    {
        var owner = new RecordingOwner(time);
        wheel.Arm(owner, 7, TimeSpan.FromMilliseconds(500));

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(owner.Fired);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([(7, TimeSpan.FromMilliseconds(500))], owner.Fired);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Arm_BetweenSlotBoundaries_FiresWithinOneSlotAfterItsDueTime()
    {
        var owner = new RecordingOwner(time);
        time.Advance(TimeSpan.FromMilliseconds(3));
        wheel.Arm(owner, 0, TimeSpan.FromMilliseconds(500));

        time.Advance(TimeSpan.FromMilliseconds(500) - TimeSpan.FromTicks(1));
        Assert.Empty(owner.Fired);

        time.Advance(Slot);
        var (_, at) = Assert.Single(owner.Fired);
        Assert.InRange(at, TimeSpan.FromMilliseconds(503), TimeSpan.FromMilliseconds(503) + Slot);
    }

    [Fact]
    public void Cancel_BeforeItsDueTime_NeverFires()
    {
        var owner = new RecordingOwner(time);
        var handle = wheel.Arm(owner, 0, TimeSpan.FromMilliseconds(500));

        wheel.Cancel(ref handle);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(owner.Fired);
        Assert.False(handle.IsArmed);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Rearm_BeforeItsDueTime_FiresOnceAtTheNewTime()
    {
        var owner = new RecordingOwner(time);
        var handle = wheel.Arm(owner, 0, TimeSpan.FromMilliseconds(500));
        time.Advance(TimeSpan.FromMilliseconds(100));

        // As Timer E does once Proceeding: a retransmission's next interval replaces the one before.
        wheel.Rearm(ref handle, owner, 1, TimeSpan.FromSeconds(4));
        Step(TimeSpan.FromSeconds(10));

        Assert.Equal([(1, TimeSpan.FromMilliseconds(4100))], owner.Fired);
    }

    [Fact]
    public void Rearm_FromItsOwnCallback_FiresAgainAtTheDoubledInterval()
    {
        var owner = new DoublingOwner(time);
        owner.Start(wheel, TimeSpan.FromMilliseconds(500));

        Step(TimeSpan.FromMilliseconds(500 + 1000 + 2000 + 4000));

        // Timer A's schedule (§17.1.1.2): 500 ms, then doubling.
        Assert.Equal([500, 1500, 3500, 7500], owner.FiredAt.Select(at => (int)at.TotalMilliseconds));
    }

    [Fact]
    public void Cancel_WithAHandleThatAlreadyFired_LeavesTheEntryThatReusedItsPlace()
    {
        var first = new RecordingOwner(time);
        var second = new RecordingOwner(time);
        var stale = wheel.Arm(first, 0, TimeSpan.FromMilliseconds(10));
        time.Advance(TimeSpan.FromMilliseconds(10));
        var current = wheel.Arm(second, 0, TimeSpan.FromMilliseconds(10));

        wheel.Cancel(ref stale);
        time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(stale.Index, current.Index);
        Assert.Single(first.Fired);
        Assert.Single(second.Fired);
    }

    [Fact]
    public void Arm_ManyEntriesInOneSlot_FiresEachOnceAndNoneCancelled()
    {
        var owners = Enumerable.Range(0, 1000).Select(_ => new RecordingOwner(time)).ToArray();
        var handles = owners.Select(owner => wheel.Arm(owner, 0, TimeSpan.FromMilliseconds(500))).ToArray();
        for (var i = 0; i < handles.Length; i += 2)
        {
            wheel.Cancel(ref handles[i]);
        }

        time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.All(owners.Where((_, i) => i % 2 == 0), owner => Assert.Empty(owner.Fired));
        Assert.All(owners.Where((_, i) => i % 2 == 1), owner => Assert.Single(owner.Fired));
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Arm_BeyondOneRevolution_WaitsOutTheRevolutionsInBetween()
    {
        var revolution = Slot * TimerWheel.DefaultSlots;
        var timerC = new RecordingOwner(time);
        var justPastOne = new RecordingOwner(time);

        // Timer C (§16.6 step 11) is 35 revolutions of the default wheel; the other shares a slot with a shorter due time.
        wheel.Arm(timerC, 0, TimeSpan.FromSeconds(181));
        wheel.Arm(justPastOne, 0, revolution + Slot);
        var early = new RecordingOwner(time);
        wheel.Arm(early, 0, Slot);

        Step(revolution);
        Assert.Single(early.Fired);
        Assert.Empty(justPastOne.Fired);

        time.Advance(Slot);
        Assert.Equal([(0, revolution + Slot)], justPastOne.Fired);

        Step(TimeSpan.FromSeconds(181) - revolution - Slot - Slot);
        time.Advance(Slot - TimeSpan.FromTicks(1));
        Assert.Empty(timerC.Fired);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([(0, TimeSpan.FromSeconds(181))], timerC.Fired);
    }

    [Fact]
    public void Arm_AfterTheWheelStoodIdle_CountsItsDueTimeFromNow()
    {
        var owner = new RecordingOwner(time);
        wheel.Arm(owner, 0, Slot);
        time.Advance(TimeSpan.FromMinutes(10));

        wheel.Arm(owner, 1, TimeSpan.FromMilliseconds(500));
        time.Advance(TimeSpan.FromMilliseconds(490));
        Assert.Single(owner.Fired);

        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal((1, TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(500)), owner.Fired[1]);
    }

    [Fact]
    public async Task ArmAndCancel_FromSeveralThreadsAtOnce_FiresExactlyTheEntriesLeftArmed()
    {
        const int threads = 4;
        const int perThread = 5000;
        var fired = new ConcurrentDictionary<int, int>();
        var owner = new CountingOwner(fired);

        await Task.WhenAll(Enumerable.Range(0, threads).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var id = (thread * perThread) + i;
                var handle = wheel.Arm(owner, id, TimeSpan.FromMilliseconds(10 + (i % 700)));
                if (id % 3 == 0)
                {
                    wheel.Cancel(ref handle);
                }
            }
        })));

        time.Advance(TimeSpan.FromSeconds(1));

        var expected = Enumerable.Range(0, threads * perThread).Where(id => id % 3 != 0).ToArray();
        Assert.Equal(expected, fired.Keys.Order());
        Assert.All(fired.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, wheel.Count);
    }

    private sealed class RecordingOwner(FakeTimeProvider time) : IWheelTimerOwner
    {
        private readonly DateTimeOffset start = time.GetUtcNow();

        public List<(int Timer, TimeSpan At)> Fired { get; } = [];

        public void OnTimer(int timer) => Fired.Add((timer, time.GetUtcNow() - start));
    }

    private sealed class DoublingOwner(FakeTimeProvider time) : IWheelTimerOwner
    {
        private readonly DateTimeOffset start = time.GetUtcNow();
        private TimerWheel? wheel;
        private WheelTimer handle;
        private TimeSpan interval;

        public List<TimeSpan> FiredAt { get; } = [];

        public void Start(TimerWheel timers, TimeSpan first)
        {
            wheel = timers;
            interval = first;
            handle = timers.Arm(this, 0, first);
        }

        public void OnTimer(int timer)
        {
            FiredAt.Add(time.GetUtcNow() - start);
            interval *= 2;
            wheel!.Rearm(ref handle, this, 0, interval);
        }
    }

    private sealed class CountingOwner(ConcurrentDictionary<int, int> fired) : IWheelTimerOwner
    {
        public void OnTimer(int timer) => fired.AddOrUpdate(timer, 1, static (_, count) => count + 1);
    }
}
