using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Edits on the original bytes of a message: replacements and insertions gathered in any order, then
/// written out in one pass. The inserted text lives in a caller-supplied scratch span, or is a part of the
/// original moved elsewhere, so a forward allocates nothing but its output buffer.
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

    /// <summary>
    /// Replaces with bytes the original itself holds at <paramref name="source"/> (a Route's URI moving into the
    /// Request-URI), so nothing is copied to scratch.
    /// </summary>
    public void ReplaceWithOriginal(int offset, int removeLength, TextRange source)
    {
        if (count == edits.Length)
        {
            ThrowFull();
        }

        edits[count] = new Edit(offset, removeLength, source.Offset, source.Length, count, FromOriginal: true);
        count++;
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
            (edit.FromOriginal ? original : scratch).Slice(edit.TextOffset, edit.TextLength).CopyTo(destination[written..]);
            written += edit.TextLength;
            read = Math.Max(read, edit.Offset + edit.RemoveLength);
        }

        original[read..].CopyTo(destination[written..]);
        return written + original.Length - read;
    }

    // Few edits per message (under twenty): insertion sort, stable on the order edits were made, except that at one
    // offset what is inserted there goes before what is removed from there, whichever edit was made first.
    private static void SortByOffset(Span<Edit> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            var j = i - 1;
            while (j >= 0 && GoesBefore(item, items[j]))
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }

    private static bool GoesBefore(Edit edit, Edit other)
    {
        if (edit.Offset != other.Offset)
        {
            return edit.Offset < other.Offset;
        }

        var inserts = edit.RemoveLength == 0;
        return inserts != (other.RemoveLength == 0) ? inserts : edit.Sequence < other.Sequence;
    }

    [System.Diagnostics.StackTraceHidden]
    private static void ThrowFull() => throw new InvalidOperationException("Too many edits for one message.");

    /// <param name="FromOriginal">The text is at <paramref name="TextOffset"/> in the original, not in scratch.</param>
    public readonly record struct Edit(int Offset, int RemoveLength, int TextOffset, int TextLength, int Sequence, bool FromOriginal = false);
}
