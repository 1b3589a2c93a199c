using System.Globalization;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// Cumulative call counters from sipp's <c>-trace_stat</c> file. In a UAS every OPTIONS
/// probe is a call of its own; <see cref="SippMessageCounts"/> tells probes from dialogs.
/// </summary>
internal sealed record SippCallStatistics(long Created, long Successful, long Failed, long Current)
{
    public static SippCallStatistics? ReadFile(string path) =>
        SippCsvFile.ReadLastRow(path) is var (header, row)
            ? new SippCallStatistics(
                Created: Counter(header, row, "TotalCallCreated"),
                Successful: Counter(header, row, "SuccessfulCall(C)"),
                Failed: Counter(header, row, "FailedCall(C)"),
                Current: Counter(header, row, "CurrentCall"))
            : null;

    private static long Counter(string[] header, string[] row, string column)
    {
        var index = Array.IndexOf(header, column);
        if (index < 0)
        {
            throw new FormatException($"sipp statistics have no column '{column}'.");
        }

        return long.Parse(row[index], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
