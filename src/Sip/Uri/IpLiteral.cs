namespace OrleansProxy.Sip.Uri;

/// <summary>
/// Checks address literals as RFC 3261 §25.1 (with the RFC 5118 §4.7 correction: no three colons in a row)
/// defines them, without building an address object.
/// </summary>
public static class IpLiteral
{
    private const int MaxIPv6Length = 45;

    /// <summary>An IPv6 address without brackets: eight hex groups, one "::" at most, optionally ending in dotted IPv4.</summary>
    public static bool IsIPv6(ReadOnlySpan<byte> text)
    {
        if (text.Length < 2 || text.Length > MaxIPv6Length || (text[0] == ':' && text[1] != ':'))
        {
            return false;
        }

        var groups = 0;
        var compressed = false;
        var position = 0;
        if (text.StartsWith("::"u8))
        {
            compressed = true;
            position = 2;
            if (position == text.Length)
            {
                return true;
            }
        }

        while (true)
        {
            var start = position;
            while (position < text.Length && position - start <= 4 && IsHexDigit(text[position]))
            {
                position++;
            }

            if (position < text.Length && text[position] == '.')
            {
                if (!IsIPv4(text[start..]))
                {
                    return false;
                }

                groups += 2;
                break;
            }

            if (position == start || position - start > 4)
            {
                return false;
            }

            groups++;
            if (position == text.Length)
            {
                break;
            }

            if (text[position] != ':' || ++position == text.Length)
            {
                return false;
            }

            if (text[position] == ':')
            {
                if (compressed)
                {
                    return false;
                }

                compressed = true;
                if (++position == text.Length)
                {
                    break;
                }
            }
        }

        return compressed ? groups < 8 : groups == 8;
    }

    /// <summary>Four decimal octets, each 0-255 in one to three digits.</summary>
    public static bool IsIPv4(ReadOnlySpan<byte> text)
    {
        var octets = 0;
        var position = 0;
        while (octets < 4)
        {
            var value = 0;
            var start = position;
            while (position < text.Length && position - start < 3 && (uint)(text[position] - '0') <= 9)
            {
                value = (value * 10) + (text[position] - '0');
                position++;
            }

            if (position == start || value > 255)
            {
                return false;
            }

            octets++;
            if (octets < 4)
            {
                if (position == text.Length || text[position] != '.')
                {
                    return false;
                }

                position++;
            }
        }

        return position == text.Length;
    }

    private static bool IsHexDigit(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 'f' - 'a';
}
