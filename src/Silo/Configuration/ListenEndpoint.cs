using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>One validated "Proxy:Listen" entry.</summary>
internal sealed record ListenEndpoint(ListenTransport Transport, IPEndPoint EndPoint)
{
    private const string SchemeSeparator = "://";

    /// <summary>The proxy core's name for <see cref="Transport"/>.</summary>
    public SipTransportKind TransportKind => Transport switch
    {
        ListenTransport.Udp => SipTransportKind.Udp,
        _ => throw new UnreachableException($"listen transport {Transport} has no SIP transport"),
    };

    public override string ToString() => $"{Transport.ToString().ToLowerInvariant()}{SchemeSeparator}{EndPoint}";

    /// <param name="fault">The reason, without the key, when the entry is refused.</param>
    public static bool TryParse(string text, [NotNullWhen(true)] out ListenEndpoint? endpoint, out string fault)
    {
        endpoint = null;
        var separator = text.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        if (separator <= 0)
        {
            fault = $"'{text}' is not transport://address:port (e.g. udp://127.0.0.1:5060)";
            return false;
        }

        var scheme = text[..separator].ToLowerInvariant();
        switch (scheme)
        {
            case "udp":
                break;
            case "tcp" or "tls":
                fault = $"'{text}': {scheme} is not supported yet (only udp)";
                return false;
            default:
                fault = $"'{text}': unknown transport '{scheme}' (udp, tcp or tls)";
                return false;
        }

        if (!HostPort.TryParse(text[(separator + SchemeSeparator.Length)..], HostPort.DefaultSipPort, out var hostPort, out var reason))
        {
            fault = $"'{text}' is not transport://address:port ({reason})";
            return false;
        }

        if (hostPort.Address is null)
        {
            fault = $"'{text}': the listen host must be an IP address, e.g. 0.0.0.0 or [::]";
            return false;
        }

        endpoint = new ListenEndpoint(ListenTransport.Udp, new IPEndPoint(hostPort.Address, hostPort.Port));
        fault = string.Empty;
        return true;
    }
}
