using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Timing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// Every transaction by key, live or lingering. The ceiling counts live server transactions (each has at most a few
/// client transactions). A transaction past its final response leaves the live count for a small tombstone
/// (<see cref="LingeringTransaction"/>) that answers retransmissions until its linger time ends; tombstones are bounded
/// by their bytes, and past that bound the ones nearest their end go first. So memory stays bounded under any load,
/// and the finished transactions of a sustained load never take the room of new ones.
/// </summary>
public sealed class TransactionTable : IWheelTimerOwner
{
    /// <summary>
    /// The default bound on the bytes lingering transactions keep: 32 MiB. A call of INVITE and BYE over UDP counts
    /// some 1,100 bytes for about 32 s (<c>bench/Sip.Benchmarks linger</c>), so this holds the whole linger time up to
    /// about 950 calls/s; at 3,000 calls/s a tombstone still lasts some 10 s, past a BYE's fourth retransmission. A
    /// larger bound buys the last retransmissions of a rare peer at the price of the node's memory at capacity
    /// (bench/README.md, "Memory").
    /// </summary>
    public const int DefaultMaxLingerBytes = 32 << 20;

    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction> servers = new();
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction> clients = new();
    private readonly ConcurrentDictionary<TransactionKey, LingeringServerTransaction> lingeringServers = new();
    private readonly ConcurrentDictionary<TransactionKey, LingeringClientTransaction> lingeringClients = new();
    private readonly TimeProvider time;
    private readonly SipMetrics? metrics;

    // Tombstones by deadline, with their bytes and one wheel entry for the nearest deadline, under lingerGate. A queue
    // and not an entry per tombstone: past the bound on bytes, the ones nearest their end go first.
    private readonly Lock lingerGate = new();
    private readonly PriorityQueue<LingeringTransaction, long> deadlines = new();
    private WheelTimer sweep;
    private long sweepArmedFor = long.MaxValue;
    private long lingeringBytes;
    private int lingeringCount;
    private long lingeringEvicted;
    private int serverCount;

    /// <param name="metrics">Where evictions of lingering transactions are counted; none when null.</param>
    public TransactionTable(int capacity, TimeProvider time, int maxLingerBytes = DefaultMaxLingerBytes, SipMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLingerBytes, 0);
        Capacity = capacity;
        MaxLingerBytes = maxLingerBytes;
        this.time = time;
        this.metrics = metrics;
        Wheel = new TimerWheel(time);
    }

    /// <summary>The one timer wheel of every transaction in this table, and of the table's own linger deadlines.</summary>
    public TimerWheel Wheel { get; }

    public int Capacity { get; }

    public int MaxLingerBytes { get; }

    /// <summary>Live server transactions: those the ceiling counts.</summary>
    public int ServerCount => Volatile.Read(ref serverCount);

    /// <summary>Live client transactions.</summary>
    public int ClientCount => clients.Count;

    /// <summary>Finished transactions, server and client, that linger as tombstones.</summary>
    public int LingeringCount => Volatile.Read(ref lingeringCount);

    /// <summary>What the lingering transactions count against <see cref="MaxLingerBytes"/>.</summary>
    public long LingeringBytes => Volatile.Read(ref lingeringBytes);

    /// <summary>Tombstones dropped before their linger time ended, to keep within <see cref="MaxLingerBytes"/>.</summary>
    public long LingeringEvicted => Volatile.Read(ref lingeringEvicted);

    public TableInsert TryAdd(ServerTransaction transaction, out IServerTransaction? existing)
    {
        // Live first: a transaction that starts to linger is a tombstone before it stops being live.
        if (TryGet(transaction.Key, out existing))
        {
            return TableInsert.Exists;
        }

        if (Interlocked.Increment(ref serverCount) > Capacity)
        {
            Interlocked.Decrement(ref serverCount);
            return TableInsert.Full;
        }

        // Two copies of one request can arrive on two receive loops at once: only one becomes the transaction.
        if (servers.TryAdd(transaction.Key, transaction))
        {
            return TableInsert.Added;
        }

        Interlocked.Decrement(ref serverCount);
        return TryGet(transaction.Key, out existing) ? TableInsert.Exists : TableInsert.Full;
    }

    public bool TryGet(TransactionKey key, out IServerTransaction? transaction) =>
        TryGetLiveOrLingering(servers, lingeringServers, key, out transaction);

    public bool TryGetClient(TransactionKey key, out IClientTransaction? transaction) =>
        TryGetLiveOrLingering(clients, lingeringClients, key, out transaction);

    // A live transaction first: a key lingers only after its live transaction has left.
    private static bool TryGetLiveOrLingering<TTransaction, TLive, TLingering>(
        ConcurrentDictionary<TransactionKey, TLive> live,
        ConcurrentDictionary<TransactionKey, TLingering> lingering,
        TransactionKey key,
        out TTransaction? transaction)
        where TTransaction : class
        where TLive : class, TTransaction
        where TLingering : class, TTransaction
    {
        if (live.TryGetValue(key, out var found))
        {
            transaction = found;
            return true;
        }

        var lingers = lingering.TryGetValue(key, out var tombstone);
        transaction = tombstone;
        return lingers;
    }

    public bool TryAdd(ClientTransaction transaction) => clients.TryAdd(transaction.Key, transaction);

    /// <summary>
    /// A connection to <paramref name="destination"/> on <paramref name="transport"/> broke: every client transaction
    /// sent over it that still waits for a final response fails now, not at its time-out.
    /// </summary>
    public void FailClientsTo(ISipTransport transport, IPEndPoint destination)
    {
        // The dictionary's own enumerator, not Values: that copies every entry into a list under all its locks.
        foreach (var (_, client) in clients)
        {
            if (ReferenceEquals(client.Transport, transport) && client.Destination.Equals(destination))
            {
                client.OnTransportError();
            }
        }
    }

    /// <summary>
    /// <paramref name="destination"/> was found down: every client transaction sent there, over any transport, that
    /// still waits for a final response fails now, not at Timer B, C or F.
    /// </summary>
    public void FailClientsToDownHop(IPEndPoint destination)
    {
        foreach (var (_, client) in clients)
        {
            if (client.Destination.Equals(destination))
            {
                client.OnHopDown();
            }
        }
    }

    /// <summary>Ends every transaction and its timers, lingering ones too: the node is stopping.</summary>
    public void TerminateAll()
    {
        foreach (var (_, server) in servers)
        {
            server.Terminate();
        }

        foreach (var (_, client) in clients)
        {
            client.Terminate();
        }

        lock (lingerGate)
        {
            while (deadlines.TryDequeue(out var lingering, out _))
            {
                Forget(lingering);
            }

            sweepArmedFor = long.MaxValue;
            Wheel.Cancel(ref sweep);
        }
    }

    /// <summary>
    /// <paramref name="transaction"/> sent its final response: from now on a tombstone answers for it for
    /// <paramref name="lingerTime"/> (none when zero, as over a reliable transport), and it no longer counts as live.
    /// </summary>
    internal void Linger(ServerTransaction transaction, byte[]? lastResponse, bool absorbsAck, TimeSpan lingerTime)
    {
        if (lingerTime > TimeSpan.Zero)
        {
            var tombstone = new LingeringServerTransaction(transaction.Key, lastResponse, absorbsAck, transaction.Transport, transaction.ResponseDestination);
            if (lingeringServers.TryAdd(tombstone.Key, tombstone))
            {
                Track(tombstone, lingerTime);
            }
        }

        Remove(transaction);
    }

    /// <summary>The client-side counterpart of <see cref="Linger(ServerTransaction, byte[], bool, TimeSpan)"/>.</summary>
    internal void Linger(ClientTransaction transaction, byte[]? ack, IAcceptedRelay? relay, TimeSpan lingerTime)
    {
        if (lingerTime > TimeSpan.Zero)
        {
            var tombstone = new LingeringClientTransaction(transaction.Key, ack, relay, transaction.Transport, transaction.Destination);
            if (lingeringClients.TryAdd(tombstone.Key, tombstone))
            {
                Track(tombstone, lingerTime);
            }
        }

        Remove(transaction);
    }

    internal void Remove(ServerTransaction transaction)
    {
        if (servers.TryRemove(new KeyValuePair<TransactionKey, ServerTransaction>(transaction.Key, transaction)))
        {
            Interlocked.Decrement(ref serverCount);
        }
    }

    internal void Remove(ClientTransaction transaction) =>
        clients.TryRemove(new KeyValuePair<TransactionKey, ClientTransaction>(transaction.Key, transaction));

    private void Track(LingeringTransaction tombstone, TimeSpan lingerTime)
    {
        lock (lingerGate)
        {
            var now = time.GetTimestamp();
            deadlines.Enqueue(tombstone, now + (long)(lingerTime.TotalSeconds * time.TimestampFrequency));
            lingeringCount++;
            lingeringBytes += tombstone.Bytes;

            // A late retransmission then finds no tombstone and is handled as a new request: that costs far less than
            // memory without bound.
            while (lingeringBytes > MaxLingerBytes && deadlines.TryDequeue(out var nearestEnd, out _))
            {
                Forget(nearestEnd);
                lingeringEvicted++;
                metrics?.TransactionsLingeringEvicted.Add(1);
            }

            ArmSweep(now);
        }
    }

    void IWheelTimerOwner.OnTimer(int timer) => EndLingering();

    private void EndLingering()
    {
        lock (lingerGate)
        {
            var now = time.GetTimestamp();
            while (deadlines.TryPeek(out var lingering, out var deadline) && deadline <= now)
            {
                deadlines.Dequeue();
                Forget(lingering);
            }

            sweepArmedFor = long.MaxValue;
            ArmSweep(now);
        }
    }

    /// <summary>Call under lingerGate: one wheel entry, for the nearest deadline.</summary>
    private void ArmSweep(long now)
    {
        if (deadlines.TryPeek(out _, out var next) && next < sweepArmedFor)
        {
            sweepArmedFor = next;
            Wheel.Rearm(ref sweep, this, 0, TimeSpan.FromSeconds(Math.Max(0, next - now) / (double)time.TimestampFrequency));
        }
    }

    /// <summary>Call under lingerGate, with the tombstone already out of the deadline queue.</summary>
    private void Forget(LingeringTransaction tombstone)
    {
        if (tombstone is LingeringServerTransaction server)
        {
            lingeringServers.TryRemove(new KeyValuePair<TransactionKey, LingeringServerTransaction>(server.Key, server));
        }
        else if (tombstone is LingeringClientTransaction client)
        {
            lingeringClients.TryRemove(new KeyValuePair<TransactionKey, LingeringClientTransaction>(client.Key, client));
        }

        lingeringCount--;
        lingeringBytes -= tombstone.Bytes;
    }
}
