using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>Removes one element of a comma-separated header (a Via or a Route): the whole line when it is alone on it.</summary>
public static class ListValueRemoval
{
    public static void Remove(SipMessage message, IReadOnlyList<HeaderValue> values, int index, ref MessageEdits edits)
    {
        var value = values[index];
        var field = message.Headers[value.HeaderIndex];
        var onSameLine = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].HeaderIndex == value.HeaderIndex)
            {
                onSameLine++;
            }
        }

        if (onSameLine == 1)
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
}
