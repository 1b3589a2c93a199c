using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Pairs;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>The configured pairs as the pair directory reads them: the two member addresses the pair's grain names.</summary>
internal static class PairAddressesMapping
{
    public static IEnumerable<PairAddresses> ToPairAddresses(this IEnumerable<HaPairSettings> pairs) =>
        pairs.Select(pair => new PairAddresses(pair.Name, pair.Primary, pair.Backup));
}
