namespace OrleansProxy.Silo.Hosting;

/// <summary>
/// Whether the node still takes new transactions. On SIGTERM the node drains: new transactions are refused
/// (the SIP front-end answers them 503) while those in flight may finish, up to Proxy:Shutdown:DrainMs.
/// </summary>
internal interface IDrainState
{
    bool IsDraining { get; }

    int InFlight { get; }

    /// <summary>Counts a new transaction in; false while draining, and then nothing is counted.</summary>
    bool TryBeginTransaction();

    /// <summary>Counts a transaction out; call exactly once for each <see cref="TryBeginTransaction"/> that returned true.</summary>
    void EndTransaction();
}
