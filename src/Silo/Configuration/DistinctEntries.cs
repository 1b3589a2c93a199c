using System.Collections.Immutable;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// A configuration list whose entries must each parse and appear once: an entry that repeats an earlier one is a
/// fault naming both keys, so the operator sees which line to delete.
/// </summary>
internal static class DistinctEntries
{
    /// <summary>Parses one entry; when it cannot, adds its own fault under <paramref name="key"/>.</summary>
    public delegate bool Parser<T>(string text, SectionFaults key, out T value);

    /// <param name="sameEntry">When two entries are one (default: equal values).</param>
    public static ImmutableArray<T> Validate<T>(IList<string> entries, SectionFaults list, Parser<T> parse, IEqualityComparer<T>? sameEntry = null)
    {
        var values = ImmutableArray.CreateBuilder<T>(entries.Count);

        // Where each value stands in the list: entries that did not parse are not among the values.
        var positions = new List<int>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var key = list.Entry(i);
            if (!parse(entries[i], key, out var value))
            {
                continue;
            }

            var earlier = values.IndexOf(value, 0, values.Count, sameEntry);
            if (earlier >= 0)
            {
                key.Add($"'{entries[i]}' is listed twice (also {list.Entry(positions[earlier]).Path})");
                continue;
            }

            values.Add(value);
            positions.Add(i);
        }

        return values.ToImmutable();
    }
}
