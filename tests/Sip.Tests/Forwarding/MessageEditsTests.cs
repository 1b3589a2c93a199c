using System.Text;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Tests.Forwarding;

public sealed class MessageEditsTests
{
    [Fact]
    public void WriteTo_EditsInAnyOrder_AreAppliedByOffset()
    {
        var original = "0123456789"u8;
        Span<MessageEdits.Edit> slots = stackalloc MessageEdits.Edit[4];
        Span<byte> scratch = stackalloc byte[32];
        var edits = new MessageEdits(slots, scratch);
        edits.Replace(8, 2, "XY"u8);
        edits.Insert(0, "<"u8);
        edits.Remove(3, 2);
        edits.Insert(0, "<"u8);
        Span<byte> output = stackalloc byte[original.Length + edits.Delta];

        var written = edits.WriteTo(original, output);

        Assert.Equal("<<012567XY", Encoding.ASCII.GetString(output[..written]));
    }

    [Fact]
    public void WriteTo_InsertionWhereARemovalStarts_GoesBeforeTheRemovalWhicheverWasMadeFirst()
    {
        var original = "0123456789"u8;
        Span<MessageEdits.Edit> slots = stackalloc MessageEdits.Edit[4];
        Span<byte> scratch = stackalloc byte[32];
        var edits = new MessageEdits(slots, scratch);
        edits.Remove(4, 3);
        edits.Insert(4, "ab"u8);
        Span<byte> output = stackalloc byte[original.Length + edits.Delta];

        var written = edits.WriteTo(original, output);

        Assert.Equal("0123ab789", Encoding.ASCII.GetString(output[..written]));
    }

    [Fact]
    public void ReplaceWithOriginal_MovesBytesOfTheOriginalWithoutScratch()
    {
        var original = "0123456789"u8;
        Span<MessageEdits.Edit> slots = stackalloc MessageEdits.Edit[4];
        var edits = new MessageEdits(slots, default);
        edits.ReplaceWithOriginal(0, 2, new TextRange(7, 3));
        edits.ReplaceWithOriginal(5, 0, new TextRange(0, 2));
        Span<byte> output = stackalloc byte[original.Length + edits.Delta];

        var written = edits.WriteTo(original, output);

        Assert.Equal("7892340156789", Encoding.ASCII.GetString(output[..written]));
    }
}
