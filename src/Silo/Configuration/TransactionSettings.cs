using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Silo.Configuration;

/// <summary>The validated "Proxy:Mode", "Proxy:Failover" and "Proxy:Transactions" keys.</summary>
internal sealed record TransactionSettings(ProxyMode Mode, TimeSpan NoResponse, int MaxTransactions, TransactionTimers Timers)
{
    public HoldSettings Hold { get; init; } = HoldSettings.Default;

    /// <summary>The bound on the bytes finished transactions keep while they linger ("Proxy:Transactions:MaxLingerBytes").</summary>
    public int MaxLingerBytes { get; init; } = TransactionTable.DefaultMaxLingerBytes;
}
