using System.Buffers;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Uri;

/// <summary>
/// A SIP or SIPS URI (RFC 3261 §19.1) as ranges into the text it was parsed from:
/// <c>sip:user:password@host:port;uri-parameters?headers</c>. Host keeps IPv6 brackets.
/// Other schemes (tel:, http:, ...) parse with <see cref="Scheme"/> = <see cref="UriScheme.Other"/> and no host.
/// </summary>
public readonly struct SipUri
{
    // '_' is no hostname character (RFC 3261 §25.1), but DNS names carry it (SRV-style labels, Windows hosts) and
    // devices send it: refusing such a request would be no help to anyone. A set, so a host is checked a vector at a time.
    private static readonly SearchValues<byte> HostChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"u8);

    private SipUri(UriScheme scheme, Range user, Range host, int port, Range parameters, Range headers)
    {
        Scheme = scheme;
        User = user;
        Host = host;
        Port = port;
        Parameters = parameters;
        Headers = headers;
    }

    public UriScheme Scheme { get; }

    /// <summary>Empty when the URI has no user part.</summary>
    public Range User { get; }

    public Range Host { get; }

    /// <summary>0 when the URI names no port.</summary>
    public int Port { get; }

    /// <summary>The parameters after the host, starting at the first ';' (empty when none).</summary>
    public Range Parameters { get; }

    public Range Headers { get; }

    public bool IsSip => Scheme is UriScheme.Sip or UriScheme.Sips;

    public int PortOrDefault => Port != 0 ? Port : Scheme == UriScheme.Sips ? SipDefaults.TlsPort : SipDefaults.Port;

    /// <summary>The host without IPv6 brackets, ready for address parsing.</summary>
    public static ReadOnlySpan<byte> HostWithoutBrackets(ReadOnlySpan<byte> host) =>
        host.Length >= 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;

    public static bool TryParse(ReadOnlySpan<byte> text, out SipUri uri)
    {
        uri = default;
        var colon = text.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var scheme = ClassifyScheme(text[..colon]);
        if (scheme == UriScheme.Other)
        {
            uri = new SipUri(UriScheme.Other, default, default, 0, default, default);
            return SipSyntax.IsToken(text[..colon]);
        }

        var rest = colon + 1;

        // The user part may hold ';' and '?' unescaped (user-unreserved, RFC 4475 §3.1.1.2), while '@' may not
        // appear unescaped in parameters or headers: the last '@' ends the user info.
        var userInfoEnd = text[rest..].LastIndexOf((byte)'@');
        var user = default(Range);
        var hostStart = rest;
        if (userInfoEnd >= 0)
        {
            var userInfo = text.Slice(rest, userInfoEnd);
            var passwordColon = userInfo.IndexOf((byte)':');
            var userLength = passwordColon < 0 ? userInfo.Length : passwordColon;
            if (userLength == 0)
            {
                return false;
            }

            user = new Range(rest, rest + userLength);
            hostStart = rest + userInfoEnd + 1;
        }

        var headersStart = text[hostStart..].IndexOf((byte)'?');
        var end = headersStart < 0 ? text.Length : hostStart + headersStart;

        int hostEnd;
        if (hostStart < end && text[hostStart] == '[')
        {
            var close = text[hostStart..end].IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }

            hostEnd = hostStart + close + 1;
        }
        else
        {
            var portOrParameters = text[hostStart..end].IndexOfAny((byte)':', (byte)';');
            hostEnd = portOrParameters < 0 ? end : hostStart + portOrParameters;
        }

        if (hostEnd == hostStart || !IsHost(text[hostStart..hostEnd]))
        {
            return false;
        }

        var port = 0;
        var position = hostEnd;
        if (position < end && text[position] == ':')
        {
            var parametersStart = text[(position + 1)..end].IndexOf((byte)';');
            var portEnd = parametersStart < 0 ? end : position + 1 + parametersStart;

            if (!SipSyntax.TryParseDigits(text[(position + 1)..portEnd], out port) || port is 0 or > 65535)
            {
                return false;
            }

            position = portEnd;
        }

        if (position < end && text[position] != ';')
        {
            return false;
        }

        var headers = headersStart < 0 ? new Range(text.Length, text.Length) : new Range(end, text.Length);
        uri = new SipUri(scheme, user, new Range(hostStart, hostEnd), port, new Range(position, end), headers);
        return true;
    }

    /// <summary>True when a parameter named <paramref name="name"/> is present, with or without a value.</summary>
    public bool HasParameter(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name) =>
        Parameters.GetOffsetAndLength(text.Length).Length > 0
        && SipParameters.TryFind(text[Parameters], name, out _);

    private static UriScheme ClassifyScheme(ReadOnlySpan<byte> scheme)
    {
        if (SipSyntax.EqualsIgnoreCase(scheme, "sip"u8))
        {
            return UriScheme.Sip;
        }

        return SipSyntax.EqualsIgnoreCase(scheme, "sips"u8) ? UriScheme.Sips : UriScheme.Other;
    }

    private static bool IsHost(ReadOnlySpan<byte> host)
    {
        if (host[0] == '[')
        {
            return host.Length > 2 && host[^1] == ']' && IpLiteral.IsIPv6(host[1..^1]);
        }

        return host.IndexOfAnyExcept(HostChars) < 0;
    }
}
