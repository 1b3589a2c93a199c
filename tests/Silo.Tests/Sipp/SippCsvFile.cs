namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// The statistics files sipp writes (<c>-trace_stat</c>, <c>-trace_counts</c>): a header row,
/// then a row of cumulative values per <c>-fd</c> period and one when sipp exits, so a killed
/// process leaves the values of its last period.
/// </summary>
internal static class SippCsvFile
{
    private const char Delimiter = ';';

    /// <summary>
    /// The header and the newest complete row, or null when sipp has not written a row yet.
    /// </summary>
    public static (string[] Header, string[] Row)? ReadLastRow(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        // sipp may be appending while we read: a partial last row is passed over below.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (rows.Length < 2)
        {
            return null;
        }

        var header = rows[0].Split(Delimiter);
        for (var row = rows.Length - 1; row > 0; row--)
        {
            var fields = rows[row].Split(Delimiter);
            if (fields.Length == header.Length)
            {
                return (header, fields);
            }
        }

        return null;
    }
}
