using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Message;

/// <summary>
/// One Via value, <c>SIP/2.0/UDP host:port;branch=z9hG4bK...;received=...;rport</c> (RFC 3261 §20.42, RFC 3581),
/// as ranges into the value it was parsed from.
/// </summary>
public readonly struct Via
{
    public static ReadOnlySpan<byte> MagicCookie => "z9hG4bK"u8;

    private Via(Range transport, Range host, int port, Range parameters)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = parameters;
    }

    public Range Transport { get; }

    public Range Host { get; }

    /// <summary>0 when sent-by names no port.</summary>
    public int Port { get; }

    /// <summary>From the first ';' to the end of the value.</summary>
    public Range Parameters { get; }

    public static bool TryParse(ReadOnlySpan<byte> value, out Via via)
    {
        via = default;
        var position = SkipWhitespace(value, 0);
        if (!TryExpectProtocolPart(value, ref position, "SIP"u8) || !TryExpectSlash(value, ref position)
            || !TryExpectProtocolPart(value, ref position, "2.0"u8) || !TryExpectSlash(value, ref position))
        {
            return false;
        }

        var transportStart = position;
        position += SipSyntax.TokenLength(value[position..]);

        var transport = new Range(transportStart, position);
        if (position == transportStart)
        {
            return false;
        }

        var hostStart = SkipWhitespace(value, position);
        if (hostStart == position || hostStart >= value.Length)
        {
            return false;
        }

        int hostEnd;
        if (value[hostStart] == '[')
        {
            var close = value[hostStart..].IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }

            hostEnd = hostStart + close + 1;
        }
        else
        {
            hostEnd = hostStart;
            while (hostEnd < value.Length && value[hostEnd] is not ((byte)':' or (byte)';') && !SipSyntax.IsWhitespace(value[hostEnd]))
            {
                hostEnd++;
            }
        }

        if (hostEnd == hostStart)
        {
            return false;
        }

        position = SkipWhitespace(value, hostEnd);
        var port = 0;
        if (position < value.Length && value[position] == ':')
        {
            var portStart = SkipWhitespace(value, position + 1);
            var portEnd = portStart;
            while (portEnd < value.Length && (uint)(value[portEnd] - '0') <= 9)
            {
                portEnd++;
            }

            if (!SipSyntax.TryParseDigits(value[portStart..portEnd], out port) || port is 0 or > 65535)
            {
                return false;
            }

            position = SkipWhitespace(value, portEnd);
        }

        if (position < value.Length && value[position] != ';')
        {
            return false;
        }

        via = new Via(transport, new Range(hostStart, hostEnd), port, new Range(position, value.Length));
        return true;
    }

    public bool TryGetParameter(ReadOnlySpan<byte> value, ReadOnlySpan<byte> name, out Range range)
    {
        range = default;
        var (offset, _) = Parameters.GetOffsetAndLength(value.Length);
        if (!SipParameters.TryFind(value[Parameters], name, out var inner))
        {
            return false;
        }

        var (innerOffset, innerLength) = inner.GetOffsetAndLength(value.Length - offset);
        range = new Range(offset + innerOffset, offset + innerOffset + innerLength);
        return true;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> value, int position)
    {
        while (position < value.Length && SipSyntax.IsWhitespace(value[position]))
        {
            position++;
        }

        return position;
    }

    private static bool TryExpectProtocolPart(ReadOnlySpan<byte> value, ref int position, ReadOnlySpan<byte> expected)
    {
        if (value.Length - position < expected.Length || !SipSyntax.EqualsIgnoreCase(value.Slice(position, expected.Length), expected))
        {
            return false;
        }

        position = SkipWhitespace(value, position + expected.Length);
        return true;
    }

    private static bool TryExpectSlash(ReadOnlySpan<byte> value, ref int position)
    {
        if (position >= value.Length || value[position] != '/')
        {
            return false;
        }

        position = SkipWhitespace(value, position + 1);
        return true;
    }
}
