using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// A host (IPv4, bracketed IPv6 or DNS name) and a port, in the normalised text form
/// that the pair grain uses as a member's identity: "10.0.0.1:5060", "[::1]:5060",
/// "sip1.example.com:5060".
/// </summary>
/// <param name="Address">The parsed address when <paramref name="Host"/> is an IP literal.</param>
internal readonly record struct HostPort(string Host, int Port, IPAddress? Address)
{
    public override string ToString() =>
        Address is { AddressFamily: AddressFamily.InterNetworkV6 }
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <param name="reason">Why <paramref name="text"/> is not host:port, short enough for a fault line.</param>
    public static bool TryParse(string text, int defaultPort, out HostPort value, out string reason)
    {
        value = default;
        text = text.Trim();
        string hostText;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                reason = "missing ']' after the IPv6 address";
                return false;
            }

            hostText = text[..(close + 1)];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    reason = "expected ':' and a port after ']'";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
            {
                reason = "an IPv6 address needs brackets, e.g. [::1]:5060";
                return false;
            }

            hostText = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }

        var port = defaultPort;
        if (portText is not null && !TryParsePort(portText, out port))
        {
            reason = "port 1-65535";
            return false;
        }

        if (!TryParseHost(hostText, out var host, out var address, out reason))
        {
            return false;
        }

        value = new HostPort(host, port, address);
        return true;
    }

    /// <summary>Parses a host without a port: IPv4, bracketed IPv6 or DNS name.</summary>
    public static bool TryParseHost(string text, out string host, out IPAddress? address, out string reason)
    {
        host = string.Empty;
        address = null;
        if (text.Length == 0)
        {
            reason = "the host is empty";
            return false;
        }

        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']') ||
                !IPAddress.TryParse(text.AsSpan(1, text.Length - 2), out address) ||
                address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                address = null;
                reason = "not a valid IPv6 address";
                return false;
            }

            host = address.ToString();
            reason = string.Empty;
            return true;
        }

        if (LooksLikeIPv4(text))
        {
            if (!TryParseIPv4(text, out var ipv4))
            {
                reason = "not a valid IPv4 address";
                return false;
            }

            address = ipv4;
            host = ipv4.ToString();
            reason = string.Empty;
            return true;
        }

        if (Uri.CheckHostName(text) != UriHostNameType.Dns)
        {
            reason = "not a valid host name";
            return false;
        }

        host = text.ToLowerInvariant();
        reason = string.Empty;
        return true;
    }

    private static bool TryParsePort(string text, out int port)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= IPEndPoint.MaxPort)
        {
            return true;
        }

        port = 0;
        return false;
    }

    private static bool LooksLikeIPv4(string text) =>
        text.All(c => char.IsAsciiDigit(c) || c == '.');

    // IPAddress.TryParse also takes "10", "10.1" and octal-looking parts; configuration wants
    // exactly four decimal octets so that what the operator wrote is what gets probed.
    private static bool TryParseIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 ||
                !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }
}
