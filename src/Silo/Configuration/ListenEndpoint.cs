using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>One validated "Proxy:Listen" entry: <c>udp://</c>, <c>tcp://</c> or <c>tls://</c> and an address (IPv6 in brackets).</summary>
internal sealed record ListenEndpoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    private const string SchemeSeparator = "://";

    public override string ToString() =>
        EndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"{Transport.ToString().ToLowerInvariant()}{SchemeSeparator}[{EndPoint.Address}]:{EndPoint.Port}"
            : $"{Transport.ToString().ToLowerInvariant()}{SchemeSeparator}{EndPoint}";

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

        var scheme = text[..separator];
        if (!SipTransportNames.TryParse(System.Text.Encoding.ASCII.GetBytes(scheme), out var transport))
        {
            fault = $"'{text}': unknown transport '{scheme.ToLowerInvariant()}' (udp, tcp or tls)";
            return false;
        }

        if (!HostPort.TryParse(text[(separator + SchemeSeparator.Length)..], transport.DefaultPort(), out var hostPort, out var reason))
        {
            fault = $"'{text}' is not transport://address:port ({reason})";
            return false;
        }

        if (hostPort.Address is null)
        {
            fault = $"'{text}': the listen host must be an IP address, e.g. 0.0.0.0 or [::]";
            return false;
        }

        endpoint = new ListenEndpoint(transport, new IPEndPoint(hostPort.Address, hostPort.Port));
        fault = string.Empty;
        return true;
    }
}
