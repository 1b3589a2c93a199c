namespace OrleansProxy.Sip.Transactions;

public enum TableInsert : byte
{
    Added = 0,

    /// <summary>A transaction with that key is already in the table: the request is a retransmission.</summary>
    Exists,

    /// <summary>The table holds its ceiling of server transactions.</summary>
    Full,
}
