using System.Diagnostics;
using OrleansProxy.Sip.Timing;

namespace OrleansProxy.Sip.Tests.Timing;

/// <summary>The system clock's tick: a thread of its own that runs the tick once per schedule, never early, and ends when idle.</summary>
public sealed class ThreadWheelTickTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Schedule_RunsTheTickOnce_NotBeforeItIsDue_OnTheWheelsThread()
    {
        using var ticks = new TickRecorder();
        var due = TimeSpan.FromMilliseconds(50);
        var started = Stopwatch.GetTimestamp();

        ticks.Tick.Schedule(due);

        Assert.True(ticks.Ran.Wait(Patience));
        Assert.True(Stopwatch.GetElapsedTime(started) >= due);
        Assert.Equal("SIP timer wheel", ticks.ThreadName);
        Assert.False(ticks.Ran.Wait(TimeSpan.FromMilliseconds(200)), "a tick runs once per schedule");
    }

    [Fact]
    public void Schedule_FromAnotherThread_WhileALaterTickWaits_RunsAtTheEarlierTime()
    {
        using var ticks = new TickRecorder();
        ticks.Tick.Schedule(TimeSpan.FromMinutes(10));

        ticks.Tick.Schedule(TimeSpan.FromMilliseconds(20));

        Assert.True(ticks.Ran.Wait(Patience));
    }

    [Fact]
    public void Schedule_AfterTheThreadEndedIdle_StartsAnotherThatTicks()
    {
        using var ticks = new TickRecorder();
        ticks.Tick.Schedule(TimeSpan.Zero);
        Assert.True(ticks.Ran.Wait(Patience));
        var first = ticks.Thread!;
        Assert.True(first.Join(Patience), "an idle tick thread ends");

        ticks.Tick.Schedule(TimeSpan.Zero);

        Assert.True(ticks.Ran.Wait(Patience));
        Assert.NotSame(first, ticks.Thread);
    }

    [Fact]
    public void Dispose_BeforeTheTickIsDue_TheTickNeverRuns()
    {
        var ticks = new TickRecorder();
        ticks.Tick.Schedule(TimeSpan.FromMilliseconds(100));

        ticks.Dispose();

        Assert.False(ticks.Ran.Wait(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void TimerWheel_OnTheSystemClock_FiresAnArmedEntry()
    {
        using var wheel = new TimerWheel(TimeProvider.System);
        var owner = new SignallingOwner();

        wheel.Arm(owner, 7, TimeSpan.FromMilliseconds(30));

        Assert.True(owner.Fired.Wait(Patience));
        Assert.Equal(7, owner.Timer);
    }

    private sealed class TickRecorder : IDisposable
    {
        public TickRecorder()
        {
            Tick = new ThreadWheelTick(() =>
            {
                Thread = System.Threading.Thread.CurrentThread;
                ThreadName = Thread.Name;
                Ran.Release();
            });
        }

        public ThreadWheelTick Tick { get; }

        public SemaphoreSlim Ran { get; } = new(0);

        public Thread? Thread { get; private set; }

        public string? ThreadName { get; private set; }

        public void Dispose() => Tick.Dispose();
    }

    private sealed class SignallingOwner : IWheelTimerOwner
    {
        public ManualResetEventSlim Fired { get; } = new();

        public int Timer { get; private set; }

        public void OnTimer(int timer)
        {
            Timer = timer;
            Fired.Set();
        }
    }
}
