namespace OrleansProxy.Sip.Parsing;

/// <summary>Character classes and small scanners of the SIP grammar (RFC 3261 §25.1).</summary>
public static class SipSyntax
{
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static bool IsTokenChar(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a'
        || (uint)(b - '0') <= 9
        || b is (byte)'-' or (byte)'.' or (byte)'!' or (byte)'%' or (byte)'*' or (byte)'_' or (byte)'+' or (byte)'`' or (byte)'\'' or (byte)'~';

    public static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!IsTokenChar(b))
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
        var inQuotes = false;
        var inAngles = false;
        for (var i = 0; i < s.Length; i++)
        {
            var b = s[i];
            if (inQuotes)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inQuotes = false;
                }
            }
            else if (b == '"')
            {
                inQuotes = true;
            }
            else if (b == target && !inAngles)
            {
                return i;
            }
            else if (skipAngleBrackets && b == '<')
            {
                inAngles = true;
            }
            else if (skipAngleBrackets && b == '>')
            {
                inAngles = false;
            }
        }

        return -1;
    }
}
