namespace OrleansProxy.Sip.Proxy;

/// <summary>Why a forwarded transaction failed on its next hop (DESIGN.md, switchover rule 3).</summary>
public enum TransactionFailure : byte
{
    /// <summary>No response, not even 100 Trying, within the failover time-out.</summary>
    NoResponse = 0,

    /// <summary>The next hop answered 503.</summary>
    ServiceUnavailable,

    /// <summary>The request could not be sent (ICMP unreachable, connection refused).</summary>
    SendFailed,

    /// <summary>The next hop was found down by its probes while the transaction waited on it, even after a provisional response.</summary>
    HopDown,
}
