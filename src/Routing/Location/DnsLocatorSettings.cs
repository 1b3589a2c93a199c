using System.Net;

namespace OrleansProxy.Routing.Location;

/// <summary>How <see cref="DnsNextHopLocator"/> asks DNS and how long it trusts what it learnt.</summary>
internal sealed record DnsLocatorSettings
{
    public const int DefaultDnsPort = 53;

    /// <summary>
    /// Recursive resolvers to ask; empty means the host's own (resolv.conf). DnsClient spreads queries over them
    /// and asks the next one when one does not answer.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>
    /// How long one query waits for one server before the next server is asked (or the query fails). A failed
    /// query is not retried on the same server: the failure is cached for <see cref="NegativeCacheTtl"/> instead.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a target that failed a transaction is skipped; zero turns greylisting off.</summary>
    public TimeSpan GreylistPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Floor for a record's TTL, so that TTL 0 does not turn every transaction into a query.</summary>
    public TimeSpan MinCacheTtl { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling for a record's TTL, so that a renumbered server is found within this time whatever the zone says.</summary>
    public TimeSpan MaxCacheTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a name that does not exist, has no record of the type, or could not be resolved is remembered.</summary>
    public TimeSpan NegativeCacheTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound on cached questions; beyond it, expired answers are dropped and new ones are asked without caching.</summary>
    public int MaxCachedQuestions { get; init; } = 4096;
}
