using System.Collections.Immutable;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// A configuration list whose entries must each parse and appear once: an entry that repeats an earlier one is a
/// fault naming both keys, so the operator sees which line to delete.
/// </summary>
internal static class DistinctEntries
{
    /// <summary>Parses one entry; when it cannot, adds its own fault under <paramref name="key"/>.</summary>
    public delegate bool Parser<T>(string text, string key, List<ConfigurationFault> faults, out T value);

    /// <param name="sameEntry">When two entries are one (default: equal values).</param>
    public static ImmutableArray<T> Validate<T>(IList<string> entries, string listKey, Parser<T> parse, List<ConfigurationFault> faults, IEqualityComparer<T>? sameEntry = null)
    {
        var values = ImmutableArray.CreateBuilder<T>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var key = $"{listKey}:{ProxyOptionsValidator.Index(i)}";
            if (!parse(entries[i], key, faults, out var value))
            {
                continue;
            }

            var earlier = values.IndexOf(value, 0, values.Count, sameEntry);
            if (earlier >= 0)
            {
                faults.Add(new(key, $"'{entries[i]}' is listed twice (also {listKey}:{ProxyOptionsValidator.Index(earlier)})"));
                continue;
            }

            values.Add(value);
        }

        return values.ToImmutable();
    }
}
