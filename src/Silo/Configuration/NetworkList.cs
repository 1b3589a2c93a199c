using System.Collections.Immutable;
using System.Net;

namespace OrleansProxy.Silo.Configuration;

/// <summary>A list of networks ("10.1.0.0/16"), each parsed strictly and listed once.</summary>
internal static class NetworkList
{
    public static ImmutableArray<IPNetwork> Validate(IList<string> entries, SectionFaults list) =>
        DistinctEntries.Validate<IPNetwork>(entries, list, TryParse);

    public static bool TryParse(string text, SectionFaults key, out IPNetwork network)
    {
        // TryParse would quietly clear host bits; a typo in the address must not widen or move the network.
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && IPNetwork.TryParse(trimmed, out network)
            && IPAddress.TryParse(trimmed.AsSpan(0, slash), out var written)
            && written.Equals(network.BaseAddress))
        {
            return true;
        }

        network = default;
        key.Add($"'{text}' is not a network address/prefix length, e.g. 10.1.0.0/16 (host bits must be zero)");
        return false;
    }
}
