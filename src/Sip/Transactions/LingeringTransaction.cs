using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// What is left of a finished transaction while it lingers for its RFC 3261 §17 time (Timers D, I, J, K, L, M): its
/// key and the one message it may have to send again, nothing of the request or of its transaction user, so that a
/// table of them costs little. The table ends it at its deadline, or earlier when the lingering bytes reach their bound.
/// </summary>
public abstract class LingeringTransaction
{
    /// <summary>
    /// The heap one tombstone keeps besides its message: itself, its table entry, its place in the deadline queue and,
    /// for a server transaction, the caller's address (measured with <c>bench/Sip.Benchmarks linger</c>).
    /// </summary>
    public const int OverheadBytes = 200;

    private protected LingeringTransaction(TransactionKey key, byte[]? message, ISipTransport transport, IPEndPoint destination)
    {
        Key = key;
        Message = message;
        Transport = transport;
        Destination = destination;
    }

    public TransactionKey Key { get; }

    public ISipTransport Transport { get; }

    /// <summary>The last response (server) or the ACK (client) to send again; null when nothing is sent again.</summary>
    private protected byte[]? Message { get; }

    private protected IPEndPoint Destination { get; }

    /// <summary>What this tombstone counts against the table's bound on lingering bytes.</summary>
    internal int Bytes => OverheadBytes + (Message?.Length ?? 0);
}
