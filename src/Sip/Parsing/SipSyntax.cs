using System.Buffers;
using System.Runtime.CompilerServices;

namespace OrleansProxy.Sip.Parsing;

/// <summary>Character classes and small scanners of the SIP grammar (RFC 3261 §25.1).</summary>
public static class SipSyntax
{
    // A set rather than a chain of comparisons, so that a header name or method is checked a vector at a time.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~"u8);

    // SP, HT, CR and LF as bits of one word.
    private const ulong WhitespaceBits = (1UL << ' ') | (1UL << '\t') | (1UL << '\r') | (1UL << '\n');

    // Called for every byte the trims and the Via parser look at, and the JIT's inliner judged it too costly on its own.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(byte b) => b <= ' ' && ((WhitespaceBits >> b) & 1) != 0;

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static bool IsTokenChar(byte b) => TokenChars.Contains(b);

    public static bool IsToken(ReadOnlySpan<byte> s) => !s.IsEmpty && s.IndexOfAnyExcept(TokenChars) < 0;

    /// <summary>How many token characters <paramref name="s"/> starts with.</summary>
    public static int TokenLength(ReadOnlySpan<byte> s)
    {
        var end = s.IndexOfAnyExcept(TokenChars);
        return end < 0 ? s.Length : end;
    }

    /// <summary>
    /// <see cref="System.Text.Ascii.EqualsIgnoreCase(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> for an ASCII
    /// <paramref name="name"/> of a few letters (a header, parameter or scheme name): inlined, where the general one is a
    /// call that sets up for long text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name)
    {
        if (text.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            // Equal, or equal as lowercase letters: OR-ing 0x20 also pairs non-letters such as '@' and '`'.
            var folded = text[i] | 0x20;
            if (text[i] != name[i] && (folded != (name[i] | 0x20) || (uint)(folded - 'a') > 'z' - 'a'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Trims SP, HT and the CR/LF of folded lines (LWS) from both ends.</summary>
    public static (int Start, int Length) Trim(ReadOnlySpan<byte> s, int start, int length)
    {
        while (length > 0 && IsWhitespace(s[start]))
        {
            start++;
            length--;
        }

        while (length > 0 && IsWhitespace(s[start + length - 1]))
        {
            length--;
        }

        return (start, length);
    }

    /// <summary>1*DIGIT, of any length.</summary>
    public static bool IsDigits(ReadOnlySpan<byte> s) => !s.IsEmpty && s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    /// <summary>Parses 1*DIGIT into a non-negative int; false on anything else or overflow.</summary>
    public static bool TryParseDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 10)
        {
            return false;
        }

        long acc = 0;
        foreach (var b in s)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            acc = (acc * 10) + digit;
        }

        if (acc > int.MaxValue)
        {
            return false;
        }

        value = (int)acc;
        return true;
    }

    /// <summary>
    /// Finds the next comma that separates list elements, skipping commas inside quoted strings and &lt;URIs&gt;.
    /// Returns -1 when the rest is one element.
    /// </summary>
    public static int IndexOfListSeparator(ReadOnlySpan<byte> s) => IndexOfOutsideQuotes(s, (byte)',', skipAngleBrackets: true);

    /// <summary>
    /// The first <paramref name="target"/> outside quoted strings (with their backslash escapes) and, when asked,
    /// outside &lt;...&gt;; -1 when there is none.
    /// </summary>
    public static int IndexOfOutsideQuotes(ReadOnlySpan<byte> s, byte target, bool skipAngleBrackets)
    {
        // Jumps from one byte that matters to the next a vector at a time: most of a value is plain text.
        var inAngles = false;
        var i = 0;
        while (i < s.Length)
        {
            var rest = s[i..];
            var hit = skipAngleBrackets ? rest.IndexOfAny(target, (byte)'"', inAngles ? (byte)'>' : (byte)'<') : rest.IndexOfAny(target, (byte)'"');
            if (hit < 0)
            {
                return -1;
            }

            i += hit;
            var b = s[i];
            if (b == '"')
            {
                var close = ClosingQuote(s[i..]);
                if (close < 0)
                {
                    return -1;
                }

                i += close + 1;
                continue;
            }

            if (b == target && !inAngles)
            {
                return i;
            }

            if (skipAngleBrackets && b == '<')
            {
                inAngles = true;
            }
            else if (skipAngleBrackets && b == '>')
            {
                inAngles = false;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Index of the quote that closes the quoted-string opening at index 0 (backslash escapes skipped), or -1.</summary>
    public static int ClosingQuote(ReadOnlySpan<byte> quoted)
    {
        var i = 1;
        while (i < quoted.Length)
        {
            var hit = quoted[i..].IndexOfAny((byte)'\\', (byte)'"');
            if (hit < 0)
            {
                return -1;
            }

            i += hit;
            if (quoted[i] == '"')
            {
                return i;
            }

            i += 2;
        }

        return -1;
    }
}
