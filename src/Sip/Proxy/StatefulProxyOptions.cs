using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Proxy;

public sealed record StatefulProxyOptions
{
    public ProxyCoreOptions Core { get; init; } = new();

    public TransactionTimers Timers { get; init; } = TransactionTimers.Default;

    /// <summary>
    /// How long a next hop may stay silent (not even 100 Trying) before the transaction moves to the other
    /// member: a little above the longest plausible time to a 100 Trying.
    /// </summary>
    public TimeSpan NoResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The most server transactions held at once; past it new requests get 503 with Retry-After.</summary>
    public int MaxTransactions { get; init; } = 100_000;

    /// <summary>
    /// The most bytes that finished transactions keep while they linger to absorb retransmissions; past it the ones
    /// nearest their end are dropped early. Lingering transactions do not count against <see cref="MaxTransactions"/>.
    /// </summary>
    public int MaxLingerBytes { get; init; } = TransactionTable.DefaultMaxLingerBytes;
}
