using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>Removes elements of a comma-separated header (a Via or a Route): the whole line when none of it is left.</summary>
public static class ListValueRemoval
{
    public static void Remove(SipMessage message, IReadOnlyList<HeaderValue> values, int index, ref MessageEdits edits)
    {
        var value = values[index];
        var field = message.Headers[value.HeaderIndex];
        if (CountOnLine(values, value.HeaderIndex) == 1)
        {
            edits.Remove(field.Line.Offset, field.Line.Length);
            return;
        }

        var span = message.Span;
        var isLastOnLine = index + 1 >= values.Count || values[index + 1].HeaderIndex != value.HeaderIndex;
        if (isLastOnLine)
        {
            // Remove from the comma before it, so "a, b" becomes "a".
            var start = value.Value.Offset;
            while (start > field.Value.Offset && span[start - 1] != ',')
            {
                start--;
            }

            start--;
            edits.Remove(start, value.Value.End - start);
            return;
        }

        var next = values[index + 1].Value.Offset;
        edits.Remove(value.Value.Offset, next - value.Value.Offset);
    }

    /// <summary>Removes the first <paramref name="count"/> values, whole lines where every value of the line goes.</summary>
    public static void RemoveLeading(SipMessage message, IReadOnlyList<HeaderValue> values, int count, ref MessageEdits edits)
    {
        var index = 0;
        while (index < count)
        {
            var line = values[index].HeaderIndex;
            var onLine = CountOnLine(values, line);
            if (index + onLine <= count)
            {
                var field = message.Headers[line].Line;
                edits.Remove(field.Offset, field.Length);
                index += onLine;
                continue;
            }

            // Part of this line stays: each removed value goes up to the next one, which is kept or removed in turn.
            for (; index < count; index++)
            {
                var next = values[index + 1].Value.Offset;
                edits.Remove(values[index].Value.Offset, next - values[index].Value.Offset);
            }
        }
    }

    private static int CountOnLine(IReadOnlyList<HeaderValue> values, int headerIndex)
    {
        var onLine = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].HeaderIndex == headerIndex)
            {
                onLine++;
            }
        }

        return onLine;
    }
}
