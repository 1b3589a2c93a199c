using System.Globalization;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// How many times each step of a scenario ran, from sipp's <c>-trace_counts</c> file, whose
/// columns are named <c>{step}_{message}_{Recv|Sent|Retrans|Timeout|Unexp}</c>.
/// </summary>
internal sealed class SippMessageCounts
{
    private readonly string[] _header;
    private readonly string[] _row;

    private SippMessageCounts(string[] header, string[] row)
    {
        _header = header;
        _row = row;
    }

    public static SippMessageCounts? ReadFile(string path) =>
        SippCsvFile.ReadLastRow(path) is var (header, row) ? new SippMessageCounts(header, row) : null;

    /// <summary>
    /// How many <paramref name="message"/>s (a method such as <c>INVITE</c>, or a status code
    /// such as <c>200</c>) the scenario received, over every step that expects one;
    /// retransmissions are not included.
    /// </summary>
    public long Received(string message) => Sum($"_{message}_Recv");

    /// <summary>How many <paramref name="message"/>s the scenario sent, first transmissions only.</summary>
    public long Sent(string message) => Sum($"_{message}_Sent");

    public override string ToString()
    {
        var pairs = new List<string>(_header.Length);
        for (var column = 0; column < _header.Length; column++)
        {
            if (_row[column] is not ("" or "0"))
            {
                pairs.Add($"{_header[column]}={_row[column]}");
            }
        }

        return string.Join(", ", pairs);
    }

    private long Sum(string columnSuffix)
    {
        long total = 0;
        for (var column = 0; column < _header.Length; column++)
        {
            if (_header[column].EndsWith(columnSuffix, StringComparison.Ordinal))
            {
                total += long.Parse(_row[column], NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
