namespace OrleansProxy.Silo.Diagnostics;

/// <summary>
/// The tag values of one measurement, in the order of an instrument's label names, as a key to its Prometheus child:
/// built on the stack from the measurement's tags, so a measurement of a series already seen allocates nothing.
/// Holds up to <see cref="MaxLabels"/> values, as many as any instrument of ours has.
/// </summary>
internal readonly record struct LabelValues(object? First, object? Second, object? Third)
{
    public const int MaxLabels = 3;

    /// <summary>The value of each of <paramref name="names"/> in <paramref name="tags"/>; a tag left out is null.</summary>
    public static LabelValues Of(string[] names, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        new(ValueOf(names, 0, tags), ValueOf(names, 1, tags), ValueOf(names, 2, tags));

    /// <summary>The label values as Prometheus takes them: a value's text, empty for a tag left out.</summary>
    public string[] ToLabels(int count)
    {
        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (i switch { 0 => First, 1 => Second, _ => Third })?.ToString() ?? string.Empty;
        }

        return labels;
    }

    private static object? ValueOf(string[] names, int index, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (index >= names.Length)
        {
            return null;
        }

        foreach (var tag in tags)
        {
            if (tag.Key == names[index])
            {
                return tag.Value;
            }
        }

        return null;
    }
}
