namespace OrleansProxy.Silo.Demo;

internal enum ServerCallState
{
    /// <summary>100 and 180 sent; the final response is not yet due.</summary>
    Proceeding,

    /// <summary>A final response sent and retransmitted until the ACK comes (RFC 3261 §13.3.1.4, §17.2.1).</summary>
    AwaitingAck,

    /// <summary>The 200 was acknowledged: the dialog stands until BYE.</summary>
    Confirmed,
}
