namespace OrleansProxy.Sip.Message;

/// <summary>A slice of a message buffer, kept as offsets so parsing allocates no strings.</summary>
public readonly record struct TextRange(int Offset, int Length)
{
    public static readonly TextRange None = new(-1, 0);

    public bool IsPresent => Offset >= 0;

    public int End => Offset + Length;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => IsPresent ? buffer.Slice(Offset, Length) : default;
}
