using System.Collections.Frozen;
using OrleansProxy.Grains;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// Everything a transaction's routing reads from configuration, built whole and never changed: the settings it came
/// from, the members by address, the policy over them, and each pair's grain. A transaction reads one snapshot and
/// keeps it to the end, so a reload can never hand it a rule from one configuration and a pair from another.
/// </summary>
internal sealed class RoutingSnapshot
{
    private RoutingSnapshot(ProxySettings settings, PairDirectory directory, RoutingPolicy policy, FrozenDictionary<string, IHaPairGrain> grains)
    {
        Settings = settings;
        Directory = directory;
        Policy = policy;
        Grains = grains;
    }

    public ProxySettings Settings { get; }

    public RoutingTable Routing => Settings.Routing;

    public PairDirectory Directory { get; }

    public RoutingPolicy Policy { get; }

    public FrozenDictionary<string, IHaPairGrain> Grains { get; }

    /// <summary>Resolves the members' host names now; one that does not resolve throws, as it stops start-up.</summary>
    public static RoutingSnapshot Create(ProxySettings settings, IGrainFactory grainFactory)
    {
        var directory = PairDirectory.Resolve(settings.Pairs.ToPairAddresses(), settings.Routing.Pairs);
        var grains = settings.Pairs.ToFrozenDictionary(p => p.Name, p => grainFactory.GetGrain<IHaPairGrain>(p.Name), StringComparer.Ordinal);
        return new RoutingSnapshot(settings, directory, new RoutingPolicy(settings.Routing, directory), grains);
    }

    /// <summary>The pair placement's site, for the admin API.</summary>
    public string? SiteOf(string pair)
    {
        foreach (var placement in Routing.Pairs)
        {
            if (placement.Pair == pair)
            {
                return placement.Site;
            }
        }

        return null;
    }
}
