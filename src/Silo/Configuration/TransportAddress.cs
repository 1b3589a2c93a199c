using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// "[udp|tcp|tls://]host[:port]", as pair members and static route targets are written. No prefix means udp; a
/// missing port is the transport's default (5061 for tls, else 5060).
/// </summary>
/// <param name="Transport">The transport named by the prefix; null when there was none.</param>
/// <param name="PortGiven">False when the port is the default, so that DNS may still look for SRV records.</param>
internal readonly record struct TransportAddress(SipTransportKind? Transport, HostPort Address, bool PortGiven)
{
    private const string SchemeSeparator = "://";

    public SipTransportKind TransportOrUdp => Transport ?? SipTransportKind.Udp;

    public override string ToString() =>
        Transport is { } transport ? $"{transport.ToString().ToLowerInvariant()}{SchemeSeparator}{Address}" : Address.ToString();

    /// <summary>Parses a key that must be set and written as <paramref name="form"/>; null, with a fault under <paramref name="key"/>, when it is not.</summary>
    public static TransportAddress? Parse(string? text, SectionFaults key, string form)
    {
        if (!key.IsSet(text, form))
        {
            return null;
        }

        if (TryParse(text, out var value, out var reason))
        {
            return value;
        }

        key.Add($"'{text}' is not {form} ({reason})");
        return null;
    }

    /// <param name="reason">Why <paramref name="text"/> is refused, short enough for a fault line.</param>
    public static bool TryParse(string text, out TransportAddress value, out string reason)
    {
        value = default;
        text = text.Trim();
        SipTransportKind? transport = null;
        var separator = text.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        if (separator >= 0)
        {
            var scheme = text[..separator];
            if (!SipTransportNames.TryParse(System.Text.Encoding.ASCII.GetBytes(scheme), out var named))
            {
                reason = $"unknown transport '{scheme}' (udp, tcp or tls)";
                return false;
            }

            transport = named;
            text = text[(separator + SchemeSeparator.Length)..];
        }

        // Port 0 stands for "none given": TryParse refuses 0 when it is written out.
        if (!HostPort.TryParse(text, 0, out var address, out reason))
        {
            return false;
        }

        var portGiven = address.Port != 0;
        if (!portGiven)
        {
            address = address with { Port = (transport ?? SipTransportKind.Udp).DefaultPort() };
        }

        value = new TransportAddress(transport, address, portGiven);
        return true;
    }
}
