namespace OrleansProxy.Sip.Proxy;

/// <summary>What went wrong with a forwarded transaction on its next hop: for a pair, a hint for its probes (DESIGN.md).</summary>
public enum TransactionFailure : byte
{
    /// <summary>No response, not even 100 Trying, within the failover time-out; the transaction goes on retransmitting.</summary>
    NoResponse = 0,

    /// <summary>The next hop answered 503.</summary>
    ServiceUnavailable,

    /// <summary>The request could not be sent (ICMP unreachable, connection refused).</summary>
    SendFailed,

    /// <summary>The next hop was found down by its probes while the transaction waited on it, even after a provisional response.</summary>
    HopDown,

    /// <summary>Timer B or F fired without any response: every retransmission went unanswered.</summary>
    TimedOut,
}
