

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// Whether the node still takes new work. On SIGTERM the node drains: requests that start something new are
/// refused (the SIP front-end answers them 503) while calls that exist may go on and the transactions in
/// flight may finish, up to Proxy:Shutdown:DrainMs.
/// </summary>
internal interface IDrainState
{
    bool IsDraining { get; }

    /// <summary>Transactions being routed now.</summary>
    int InFlight { get; }

    /// <summary>
    /// Counts a transaction in while it is routed. While draining only in-dialog requests are let in: an ACK or
    /// a BYE of a call that exists must not be lost (an ACK cannot even be answered 503). A refused one is not counted.
    /// </summary>
    bool TryBeginTransaction(bool inDialog);

    /// <summary>Counts a transaction out; call exactly once for each <see cref="TryBeginTransaction"/> that returned true.</summary>
    void EndTransaction();

    /// <summary>
    /// Also waits, within the drain time, until <paramref name="unanswered"/> (requests forwarded whose caller
    /// has no final response yet) is zero: their responses come back through this node.
    /// </summary>
    void WaitForAnswers(Func<int> unanswered);
}
