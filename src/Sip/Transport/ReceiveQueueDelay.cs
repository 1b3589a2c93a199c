namespace OrleansProxy.Sip.Transport;

/// <summary>
/// How long datagrams stood in the node's UDP receive queues before the proxy read them: the least wait of the last
/// 100 ms (<see cref="StandingQueueDelay"/>) in the receive loop that reported last, from the kernel's own arrival
/// timestamps. A node that falls behind shows it here first: its queue stands, and every message waits that long
/// before the proxy looks at it, so a new call admitted then only adds to the wait of the calls already running.
/// Overload control reads it to refuse new calls while the queue stands. Without kernel timestamps (another platform
/// than 64-bit Linux) it stays zero.
/// </summary>
public sealed class ReceiveQueueDelay
{
    private long delayTicks;

    public TimeSpan Current => new(Volatile.Read(ref delayTicks));

    internal void Record(TimeSpan delay) => Volatile.Write(ref delayTicks, delay.Ticks);
}
