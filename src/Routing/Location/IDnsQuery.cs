namespace OrleansProxy.Routing.Location;

/// <summary>
/// Asks DNS one question, without caching. Location is written against this rather than a DNS library, so that it can
/// be tested with answers made up in the test, and so that exactly one file (<see cref="DnsClientQuery"/>) knows the library.
/// </summary>
internal interface IDnsQuery
{
    /// <param name="name">Fully qualified, with the trailing dot, so that no search domain is appended.</param>
    /// <returns>Never faults: a time-out, a server failure or a network error is a <see cref="DnsAnswerKind.Failed"/> response.</returns>
    Task<DnsResponse> QueryAsync(string name, DnsQueryType type, CancellationToken cancellationToken);
}
