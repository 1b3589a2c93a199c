using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Uri;

/// <summary>
/// Splits <c>"Display" &lt;uri&gt;;params</c> or <c>uri;params</c> (RFC 3261 §20.10: in the bare form the
/// parameters belong to the header, not the URI) into the URI and the header parameters.
/// </summary>
public static class NameAddress
{
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
}
