namespace OrleansProxy.Sip.Transactions;

/// <summary>The transaction user of a server transaction: the proxy's response context.</summary>
public interface IServerTransactionUser
{
    /// <summary>The caller cancelled the INVITE (§9.2): pass the CANCEL on to pending client transactions.</summary>
    ValueTask CancelAsync(CancellationToken cancellationToken);
}
