namespace OrleansProxy.Sip.Transactions;

/// <summary>The states of RFC 3261 §17 with RFC 6026's Accepted (an INVITE transaction after a 2xx).</summary>
public enum TransactionState : byte
{
    Calling = 0,
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated,
}
