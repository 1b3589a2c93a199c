namespace OrleansProxy.Sip.Timing;

/// <summary>
/// A hashed timer wheel (Varghese and Lauck's scheme 6) for every timer of the transaction layer: one tick runs once
/// per slot while anything is armed, and stops when nothing is. On the system clock the tick is a thread of its own
/// (<see cref="ThreadWheelTick"/>); on any other <see cref="TimeProvider"/> (a test's fake clock) it is that
/// provider's timer. An entry lives in the slot of its due tick; one due later than a revolution waits there for
/// the revolutions in between. Entries are structs in one table that grows and is reused through a free list, and the
/// owner is its own callback (<see cref="IWheelTimerOwner"/>), so arming, re-arming and cancelling allocate nothing.
/// An entry never fires before its due time, and at most one slot (plus the tick's own lateness) after it.
/// </summary>
public sealed class TimerWheel : IDisposable
{
    /// <summary>
    /// 10 ms: the shortest RFC 3261 timer is T1 (500 ms), and retransmission intervals only double from there, so a
    /// slot adds at most 2 % to any of them, less than the network's own jitter, and 100 ticks a second cost nothing.
    /// </summary>
    public static readonly TimeSpan DefaultSlot = TimeSpan.FromMilliseconds(10);

    /// <summary>512 slots of 10 ms: a revolution of 5.12 s holds every retransmission interval up to T2 and T4.</summary>
    public const int DefaultSlots = 512;

    private const int None = -1;

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly IWheelTick tick;
    private readonly long slotTimestamp;
    private readonly long origin;
    private readonly int[] heads;
    private readonly List<(IWheelTimerOwner Owner, int Timer)> due = [];
    private Entry[] entries = new Entry[256];
    private int free = None;
    private int used;
    private int count;
    private long processedTick;
    private bool ticking;

    public TimerWheel(TimeProvider time, TimeSpan? slot = null, int slots = DefaultSlots)
    {
        var width = slot ?? DefaultSlot;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        this.time = time;
        Slot = width;
        slotTimestamp = Math.Max(1, (long)(width.TotalSeconds * time.TimestampFrequency));
        origin = time.GetTimestamp();
        heads = new int[slots];
        Array.Fill(heads, None);
        tick = time == TimeProvider.System ? new ThreadWheelTick(Tick) : new ProviderWheelTick(time, Tick);
    }

    public TimeSpan Slot { get; }

    /// <summary>Entries armed and not yet fired or cancelled.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>Arms <paramref name="owner"/>'s <paramref name="timer"/> to fire once after <paramref name="dueIn"/>.</summary>
    public WheelTimer Arm(IWheelTimerOwner owner, int timer, TimeSpan dueIn)
    {
        lock (gate)
        {
            return ArmLocked(owner, timer, dueIn);
        }
    }

    /// <summary>Cancels what <paramref name="handle"/> holds, if it has not fired yet, and arms it anew: a retransmission's next interval.</summary>
    public void Rearm(ref WheelTimer handle, IWheelTimerOwner owner, int timer, TimeSpan dueIn)
    {
        lock (gate)
        {
            CancelLocked(handle);
            handle = ArmLocked(owner, timer, dueIn);
        }
    }

    /// <summary>Cancels the entry <paramref name="handle"/> names, if it is still armed, and clears the handle.</summary>
    public void Cancel(ref WheelTimer handle)
    {
        if (!handle.IsArmed)
        {
            return;
        }

        lock (gate)
        {
            CancelLocked(handle);
        }

        handle = default;
    }

    public void Dispose() => tick.Dispose();

    private WheelTimer ArmLocked(IWheelTimerOwner owner, int timer, TimeSpan dueIn)
    {
        var now = time.GetTimestamp();
        var dueTimestamp = now - origin + Math.Max(0, (long)(dueIn.TotalSeconds * time.TimestampFrequency));

        // Rounded up, so that no entry fires early; and past the tick already processed, which has been walked.
        var dueTick = Math.Max(processedTick + 1, (dueTimestamp + slotTimestamp - 1) / slotTimestamp);
        var index = Allocate();
        ref var entry = ref entries[index];
        entry.Owner = owner;
        entry.Timer = timer;
        entry.DueTick = dueTick;
        Link(index, (int)(dueTick % heads.Length));
        count++;
        if (!ticking)
        {
            // Nothing ran while the wheel was idle: it resumes from now, not from the tick it stopped at.
            processedTick = Math.Min(dueTick - 1, (now - origin) / slotTimestamp);
            ticking = true;
            ScheduleTick(now);
        }

        return new WheelTimer(index, entry.Generation);
    }

    private void CancelLocked(WheelTimer handle)
    {
        if (handle.IsArmed && handle.Index < used && entries[handle.Index].Generation == handle.Generation)
        {
            Unlink(handle.Index);
            Release(handle.Index);
            count--;
        }
    }

    private void Tick()
    {
        // Ticks never overlap: each is scheduled by the one before it, once that one has fired its entries.
        lock (gate)
        {
            var now = time.GetTimestamp();
            var current = (now - origin) / slotTimestamp;

            // Behind by more than a revolution (a stalled process), one walk of every slot finds everything due.
            var walk = Math.Min(current - processedTick, heads.Length);
            for (var step = 1; step <= walk; step++)
            {
                CollectDue((int)((processedTick + step) % heads.Length), current);
            }

            processedTick = Math.Max(processedTick, current);
        }

        try
        {
            // Outside the lock: an owner arms and cancels from its callback, under its own lock.
            foreach (var (owner, timer) in due)
            {
                owner.OnTimer(timer);
            }
        }
        finally
        {
            // Even past a callback that threw, the wheel keeps ticking for everyone else.
            due.Clear();
            lock (gate)
            {
                ticking = count > 0;
                if (ticking)
                {
                    ScheduleTick(time.GetTimestamp());
                }
            }
        }
    }

    private void CollectDue(int slot, long current)
    {
        var index = heads[slot];
        while (index != None)
        {
            ref var entry = ref entries[index];
            var next = entry.Next;
            if (entry.DueTick <= current)
            {
                due.Add((entry.Owner!, entry.Timer));
                Unlink(index);
                Release(index);
                count--;
            }

            index = next;
        }
    }

    /// <summary>Call under the gate: the tick at the next slot boundary after <paramref name="now"/>.</summary>
    private void ScheduleTick(long now)
    {
        var elapsed = now - origin;
        var untilBoundary = slotTimestamp - (elapsed % slotTimestamp);
        tick.Schedule(TimeSpan.FromSeconds(untilBoundary / (double)time.TimestampFrequency));
    }

    private int Allocate()
    {
        if (free != None)
        {
            var index = free;
            free = entries[index].Next;
            return index;
        }

        if (used == entries.Length)
        {
            // Grows with the peak of armed entries and stays there: no allocation once a load has been seen.
            Array.Resize(ref entries, entries.Length * 2);
        }

        entries[used].Generation = 1;
        return used++;
    }

    private void Release(int index)
    {
        ref var entry = ref entries[index];
        entry.Owner = null;
        entry.Generation = entry.Generation == int.MaxValue ? 1 : entry.Generation + 1;
        entry.Next = free;
        free = index;
    }

    private void Link(int index, int slot)
    {
        ref var entry = ref entries[index];
        entry.Slot = slot;
        entry.Previous = None;
        entry.Next = heads[slot];
        if (entry.Next != None)
        {
            entries[entry.Next].Previous = index;
        }

        heads[slot] = index;
    }

    private void Unlink(int index)
    {
        ref var entry = ref entries[index];
        if (entry.Previous == None)
        {
            heads[entry.Slot] = entry.Next;
        }
        else
        {
            entries[entry.Previous].Next = entry.Next;
        }

        if (entry.Next != None)
        {
            entries[entry.Next].Previous = entry.Previous;
        }
    }

    private struct Entry
    {
        public IWheelTimerOwner? Owner;
        public long DueTick;
        public int Timer;
        public int Generation;
        public int Slot;
        public int Next;
        public int Previous;
    }
}
