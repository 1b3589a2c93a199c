using System.Buffers;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Uri;

/// <summary>
/// Splits <c>"Display" &lt;uri&gt;;params</c> or <c>uri;params</c> (RFC 3261 §20.10: in the bare form the
/// parameters belong to the header, not the URI) into the URI and the header parameters.
/// </summary>
public static class NameAddress
{
    // Without angle brackets a URI may not hold these (§20.10), and LWS would split it.
    private static readonly SearchValues<byte> BareAddressForbidden = SearchValues.Create(",?\" \t\r\n"u8);

    public static bool TrySplit(ReadOnlySpan<byte> value, out Range uri, out Range parameters)
    {
        uri = default;
        parameters = default;
        var open = SipSyntax.IndexOfOutsideQuotes(value, (byte)'<', skipAngleBrackets: false);
        if (open >= 0)
        {
            var close = value[open..].IndexOf((byte)'>');
            if (close < 0)
            {
                return false;
            }

            uri = new Range(open + 1, open + close);
            parameters = new Range(open + close + 1, value.Length);
            return true;
        }

        var semicolon = value.IndexOf((byte)';');
        var uriEnd = semicolon < 0 ? value.Length : semicolon;
        uri = new Range(0, uriEnd);
        parameters = new Range(uriEnd, value.Length);
        return uriEnd > 0;
    }

    /// <summary>
    /// True for a From/To/Contact value a proxy can rely on (RFC 3261 §20.10, §25.1): a quoted-string or tokens as
    /// display name, a closed &lt;URI&gt; followed only by parameters, or a bare URI without ',', '?' or quotes.
    /// The URI may have any scheme.
    /// </summary>
    /// <param name="parameters">When true, the header parameters as <see cref="TrySplit"/> finds them, so the caller
    /// reads the tag without splitting the value again.</param>
    public static bool IsWellFormed(ReadOnlySpan<byte> value, out Range parameters)
    {
        parameters = default;
        if (value.IsEmpty)
        {
            return false;
        }

        // Finding the '<' walks every quoted string before it, so only what follows is left to check for a quote
        // that never closes.
        var open = SipSyntax.IndexOfOutsideQuotes(value, (byte)'<', skipAngleBrackets: false);
        if (!HasBalancedQuotes(open < 0 ? value : value[open..]))
        {
            return false;
        }

        if (open < 0)
        {
            var semicolon = value.IndexOf((byte)';');
            var uriEnd = semicolon < 0 ? value.Length : semicolon;
            parameters = new Range(uriEnd, value.Length);
            var (bareStart, bareLength) = SipSyntax.Trim(value, 0, uriEnd);
            var bare = value.Slice(bareStart, bareLength);
            return bare.IndexOfAny(BareAddressForbidden) < 0 && SipUri.TryParse(bare, out _);
        }

        var close = value[open..].IndexOf((byte)'>');
        if (close < 0 || !IsDisplayName(value[..open]) || !SipUri.TryParse(value.Slice(open + 1, close - 1), out _))
        {
            return false;
        }

        parameters = new Range(open + close + 1, value.Length);
        var (restStart, restLength) = SipSyntax.Trim(value, open + close + 1, value.Length - open - close - 1);
        return restLength == 0 || value[restStart] == ';';
    }

    /// <summary>The header parameter <paramref name="name"/> (e.g. tag) of a From/To/Contact value.</summary>
    public static bool TryGetParameter(ReadOnlySpan<byte> value, ReadOnlySpan<byte> name, out Range range)
    {
        range = default;
        if (!TrySplit(value, out _, out var parameters))
        {
            return false;
        }

        var (offset, _) = parameters.GetOffsetAndLength(value.Length);
        if (!SipParameters.TryFind(value[parameters], name, out var inner))
        {
            return false;
        }

        var (innerOffset, innerLength) = inner.GetOffsetAndLength(value.Length - offset);
        range = new Range(offset + innerOffset, offset + innerOffset + innerLength);
        return true;
    }

    private static bool HasBalancedQuotes(ReadOnlySpan<byte> value)
    {
        var position = 0;
        while (position < value.Length)
        {
            var open = value[position..].IndexOf((byte)'"');
            if (open < 0)
            {
                return true;
            }

            var close = SipSyntax.ClosingQuote(value[(position + open)..]);
            if (close < 0)
            {
                return false;
            }

            position += open + close + 1;
        }

        return true;
    }

    /// <summary>
    /// display-name = *(token LWS) / quoted-string, and unquoted words in UTF-8 (or any 8-bit text) too: phones send
    /// <c>Jürgen Müller &lt;sip:...&gt;</c> unquoted, and a proxy never reads the name it forwards.
    /// </summary>
    private static bool IsDisplayName(ReadOnlySpan<byte> text)
    {
        var (start, length) = SipSyntax.Trim(text, 0, text.Length);
        var name = text.Slice(start, length);
        if (name.IsEmpty)
        {
            return true;
        }

        if (name[0] == '"')
        {
            return SipSyntax.ClosingQuote(name) == name.Length - 1;
        }

        foreach (var b in name)
        {
            if (!SipSyntax.IsTokenChar(b) && !SipSyntax.IsWhitespace(b) && b < 0x80)
            {
                return false;
            }
        }

        return true;
    }
}
