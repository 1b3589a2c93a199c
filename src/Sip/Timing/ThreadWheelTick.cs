using System.Diagnostics;

namespace OrleansProxy.Sip.Timing;

/// <summary>
/// The tick on a thread of its own, for the system clock: the thread sleeps in the kernel until the slot is due and
/// runs the tick itself, one wake a tick. A runtime timer costs several: its timer thread wakes, hands the callback
/// to a pool thread that must be woken, and re-arming from there wakes the timer thread again (bench/README.md,
/// "Where the time goes"). The thread ends once the wheel has stood idle for <see cref="IdleLinger"/>, so an
/// abandoned wheel does not keep it, and the next schedule starts another.
/// </summary>
internal sealed class ThreadWheelTick(Action tick) : IWheelTick
{
    private const long NotScheduled = long.MaxValue;
    private const int IdleLinger = 1000;

    // Monitor.Wait needs a plain object; a wait with a time-out is one futex sleep.
    private readonly object gate = new();
    private Thread? thread;
    private long dueAt = NotScheduled;
    private bool disposed;

    public void Schedule(TimeSpan dueIn)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            dueAt = Stopwatch.GetTimestamp() + (long)(dueIn.TotalSeconds * Stopwatch.Frequency);
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = "SIP timer wheel" };
                thread.Start();
            }
            else if (Thread.CurrentThread != thread)
            {
                // The tick schedules the next one on the thread itself, which reads dueAt before it sleeps again.
                Monitor.Pulse(gate);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            Monitor.Pulse(gate);
        }
    }

    private void Run()
    {
        while (WaitUntilDue())
        {
            tick();
        }
    }

    /// <summary>False when the thread is to end: disposed, or idle past the linger (then it is no longer the thread).</summary>
    private bool WaitUntilDue()
    {
        lock (gate)
        {
            while (!disposed)
            {
                if (dueAt == NotScheduled)
                {
                    if (!Monitor.Wait(gate, IdleLinger) && dueAt == NotScheduled)
                    {
                        thread = null;
                        return false;
                    }

                    continue;
                }

                var remaining = dueAt - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    dueAt = NotScheduled;
                    return true;
                }

                // Rounded up: a tick never runs before its slot is due.
                Monitor.Wait(gate, (int)Math.Min(int.MaxValue, ((remaining * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
            }

            return false;
        }
    }
}
