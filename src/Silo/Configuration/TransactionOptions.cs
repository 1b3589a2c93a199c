using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Transactions": the stateful proxy's transaction table and RFC 3261 timers.</summary>
internal sealed class TransactionOptions
{
    /// <summary>The most server transactions held at once; past it requests get 503 with Retry-After.</summary>
    public int MaxCount { get; set; } = 100_000;

    /// <summary>The most bytes finished transactions keep while they linger; past it the ones nearest their end go early.</summary>
    public int MaxLingerBytes { get; set; } = TransactionTable.DefaultMaxLingerBytes;

    public int T1Ms { get; set; } = 500;

    public int T2Ms { get; set; } = 4000;

    public int T4Ms { get; set; } = 5000;

    /// <summary>Proxy INVITE timer: longest wait for a final response after a provisional one.</summary>
    public int TimerCMs { get; set; } = 181_000;
}
