using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// Every live transaction by key. The ceiling counts server transactions (each has at most a few client
/// transactions), so memory stays bounded under any load; transactions leave on their own timers.
/// </summary>
public sealed class TransactionTable
{
    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction> servers = new();
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction> clients = new();
    private int serverCount;

    public TransactionTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int ServerCount => Volatile.Read(ref serverCount);

    public int ClientCount => clients.Count;

    public TableInsert TryAdd(ServerTransaction transaction, out ServerTransaction? existing)
    {
        if (servers.TryGetValue(transaction.Key, out existing))
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
        return servers.TryGetValue(transaction.Key, out existing) ? TableInsert.Exists : TableInsert.Full;
    }

    public bool TryGet(TransactionKey key, out ServerTransaction? transaction) => servers.TryGetValue(key, out transaction);

    public bool TryGetClient(TransactionKey key, out ClientTransaction? transaction) => clients.TryGetValue(key, out transaction);

    public bool TryAdd(ClientTransaction transaction) => clients.TryAdd(transaction.Key, transaction);

    /// <summary>
    /// A connection to <paramref name="destination"/> on <paramref name="transport"/> broke: every client transaction
    /// sent over it that still waits for a final response fails now, not at its time-out.
    /// </summary>
    public void FailClientsTo(ISipTransport transport, IPEndPoint destination)
    {
        foreach (var client in clients.Values)
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
        foreach (var client in clients.Values)
        {
            if (client.Destination.Equals(destination))
            {
                client.OnHopDown();
            }
        }
    }

    /// <summary>Ends every transaction and its timers: the node is stopping.</summary>
    public void TerminateAll()
    {
        foreach (var server in servers.Values)
        {
            server.Terminate();
        }

        foreach (var client in clients.Values)
        {
            client.Terminate();
        }
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
}
