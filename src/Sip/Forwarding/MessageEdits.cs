namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Edits on the original bytes of a message: replacements and insertions gathered in any order, then
/// written out in one pass. The inserted text lives in a caller-supplied scratch span, so a forward
/// allocates nothing but its output buffer.
/// </summary>
public ref struct MessageEdits
{
    private readonly Span<Edit> edits;
    private readonly Span<byte> scratch;
    private int count;
    private int scratchUsed;

    public MessageEdits(Span<Edit> edits, Span<byte> scratch)
    {
        this.edits = edits;
        this.scratch = scratch;
    }

    /// <summary>Net change in length once every edit is applied.</summary>
    public readonly int Delta
    {
        get
        {
            var delta = 0;
            for (var i = 0; i < count; i++)
            {
                delta += edits[i].TextLength - edits[i].RemoveLength;
            }

            return delta;
        }
    }

    public void Insert(int offset, ReadOnlySpan<byte> text) => Replace(offset, 0, text);

    public void Remove(int offset, int length) => Replace(offset, length, default);

    public void Replace(int offset, int removeLength, ReadOnlySpan<byte> text)
    {
        var target = Reserve(text.Length);
        text.CopyTo(target);
        Commit(offset, removeLength, text.Length);
    }

    /// <summary>Scratch space for formatting an inserted text in place; follow with <see cref="Commit"/>.</summary>
    public readonly Span<byte> Reserve(int maxLength)
    {
        if (count == edits.Length || scratch.Length - scratchUsed < maxLength)
        {
            ThrowFull();
        }

        return scratch.Slice(scratchUsed, maxLength);
    }

    public void Commit(int offset, int removeLength, int textLength)
    {
        edits[count] = new Edit(offset, removeLength, scratchUsed, textLength, count);
        count++;
        scratchUsed += textLength;
    }

    /// <summary>Writes <paramref name="original"/> with the edits applied; returns the bytes written.</summary>
    public readonly int WriteTo(ReadOnlySpan<byte> original, Span<byte> destination)
    {
        var ordered = edits[..count];
        SortByOffset(ordered);
        var read = 0;
        var written = 0;
        foreach (var edit in ordered)
        {
            var keep = original[read..edit.Offset];
            keep.CopyTo(destination[written..]);
            written += keep.Length;
            scratch.Slice(edit.TextOffset, edit.TextLength).CopyTo(destination[written..]);
            written += edit.TextLength;
            read = Math.Max(read, edit.Offset + edit.RemoveLength);
        }

        original[read..].CopyTo(destination[written..]);
        return written + original.Length - read;
    }

    // Few edits per message (under ten): insertion sort, stable on the order edits were made.
    private static void SortByOffset(Span<Edit> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            var j = i - 1;
            while (j >= 0 && (items[j].Offset > item.Offset || (items[j].Offset == item.Offset && items[j].Sequence > item.Sequence)))
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }

    [System.Diagnostics.StackTraceHidden]
    private static void ThrowFull() => throw new InvalidOperationException("Too many edits for one message.");

    public readonly record struct Edit(int Offset, int RemoveLength, int TextOffset, int TextLength, int Sequence);
}
