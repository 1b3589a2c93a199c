namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// The RFC 3261 §17 timer base values; every other timer derives from them (Table 4). Configurable because a
/// network with long round trips needs a larger T1, and tests shrink them.
/// </summary>
public sealed record TransactionTimers
{
    public static readonly TransactionTimers Default = new();

    /// <summary>Round-trip estimate: the first retransmission interval.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest retransmission interval for non-INVITE requests and INVITE responses.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a message may stay in the network.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Proxy INVITE timer (§16.6 step 11): longest wait for a final response; the RFC wants more than 3 minutes.</summary>
    public TimeSpan TimerC { get; init; } = TimeSpan.FromSeconds(181);

    /// <summary>Timers B, F, H, J, L and M: 64·T1.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    /// <summary>Timer D over UDP: at least 32 s, so every retransmitted final response still meets its ACK.</summary>
    public TimeSpan TimerD => TransactionTimeout > TimeSpan.FromSeconds(32) ? TransactionTimeout : TimeSpan.FromSeconds(32);

    /// <summary>The next retransmission interval: doubled, capped at T2 (Timers A are not capped; pass <paramref name="cap"/> false).</summary>
    public TimeSpan NextInterval(TimeSpan current, bool cap)
    {
        var doubled = current * 2;
        return cap && doubled > T2 ? T2 : doubled;
    }
}
