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

    /// <summary>
    /// Removes the first <paramref name="leading"/> values and, when <paramref name="last"/>, the last one: a whole line
    /// where every value of it goes, else each run of removed values with the separator that joined it to a kept one.
    /// </summary>
    public static void RemoveLeadingAndLast(SipMessage message, IReadOnlyList<HeaderValue> values, int leading, bool last, ref MessageEdits edits)
    {
        var lastIndex = last ? values.Count - 1 : -1;
        var lineStart = 0;
        while (lineStart < values.Count)
        {
            var line = values[lineStart].HeaderIndex;
            var lineEnd = lineStart + 1;
            while (lineEnd < values.Count && values[lineEnd].HeaderIndex == line)
            {
                lineEnd++;
            }

            RemoveFromLine(message, values, lineStart, lineEnd, leading, lastIndex, ref edits);
            lineStart = lineEnd;
        }
    }

    /// <summary>Values <paramref name="start"/> to <paramref name="end"/> (exclusive) share a line.</summary>
    private static void RemoveFromLine(SipMessage message, IReadOnlyList<HeaderValue> values, int start, int end, int leading, int lastIndex, ref MessageEdits edits)
    {
        var removed = 0;
        for (var i = start; i < end; i++)
        {
            removed += i < leading || i == lastIndex ? 1 : 0;
        }

        if (removed == end - start)
        {
            var field = message.Headers[values[start].HeaderIndex].Line;
            edits.Remove(field.Offset, field.Length);
            return;
        }

        var index = start;
        while (index < end)
        {
            if (index >= leading && index != lastIndex)
            {
                index++;
                continue;
            }

            var runStart = index;
            while (index < end && (index < leading || index == lastIndex))
            {
                index++;
            }

            // A run up to a kept value goes with the separator after it; a run at the end of the line, with the one before.
            var from = index < end ? values[runStart].Value.Offset : values[runStart - 1].Value.End;
            var to = index < end ? values[index].Value.Offset : values[index - 1].Value.End;
            edits.Remove(from, to - from);
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
