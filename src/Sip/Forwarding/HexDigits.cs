namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// A 64-bit value as the 16 lowercase hex digits that branches and tags carry. Written nibble by nibble: the general
/// formatter parses its format string and measures the value on every call, and a branch takes two of these per request.
/// </summary>
public static class HexDigits
{
    public const int Length = 16;

    private static ReadOnlySpan<byte> Digits => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="value"/> zero-padded into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public static void Write(ulong value, Span<byte> destination)
    {
        var digits = destination[..Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            digits[i] = Digits[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
