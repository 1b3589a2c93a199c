using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace OrleansProxy.Sip.Uri;

/// <summary>
/// Checks address literals as RFC 3261 §25.1 defines them with the RFC 5954 correction (no three colons in a row),
/// without building an address object. The one exception is the three colons RFC 3261's own grammar derives before an
/// embedded IPv4 address (<c>2001:db8:::192.0.2.1</c>), which RFC 5118 §4.10 asks every parser to tolerate: it is read
/// as the two-colon address it was meant to be.
/// </summary>
public static class IpLiteral
{
    private const int MaxIPv6Length = 45;

    /// <summary>An IPv6 address without brackets: eight hex groups, one "::" at most, optionally ending in dotted IPv4.</summary>
    public static bool IsIPv6(ReadOnlySpan<byte> text)
    {
        var extraColon = AbnfExtraColon(text);
        if (extraColon < 0)
        {
            return IsStrictIPv6(text);
        }

        Span<byte> corrected = stackalloc byte[MaxIPv6Length];
        return text.Length <= MaxIPv6Length + 1 && IsStrictIPv6(WithoutExtraColon(text, extraColon, corrected));
    }

    /// <summary>The address an IPv4 or IPv6 literal (without brackets) names, the tolerated three-colon form included.</summary>
    public static bool TryParseAddress(ReadOnlySpan<byte> text, [NotNullWhen(true)] out IPAddress? address)
    {
        var extraColon = AbnfExtraColon(text);
        if (extraColon < 0 || text.Length > MaxIPv6Length + 1)
        {
            return IPAddress.TryParse(text, out address);
        }

        Span<byte> corrected = stackalloc byte[MaxIPv6Length];
        return IPAddress.TryParse(WithoutExtraColon(text, extraColon, corrected), out address);
    }

    /// <summary>Where the third colon of a ":::" right before an embedded IPv4 address is, or -1.</summary>
    private static int AbnfExtraColon(ReadOnlySpan<byte> text)
    {
        var colons = text.IndexOf(":::"u8);
        return colons >= 0 && IsIPv4(text[(colons + 3)..]) ? colons + 2 : -1;
    }

    private static ReadOnlySpan<byte> WithoutExtraColon(ReadOnlySpan<byte> text, int extraColon, Span<byte> destination)
    {
        text[..extraColon].CopyTo(destination);
        text[(extraColon + 1)..].CopyTo(destination[extraColon..]);
        return destination[..(text.Length - 1)];
    }

    private static bool IsStrictIPv6(ReadOnlySpan<byte> text)
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
