namespace OrleansProxy.Routing.Pairs;

/// <summary>A configured pair's two members, as the pair's grain names them ("host:port").</summary>
internal sealed record PairAddresses(string Pair, string Primary, string Backup);
