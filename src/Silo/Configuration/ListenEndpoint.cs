using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// One "Proxy:Listen" entry: <c>udp://</c>, <c>tcp://</c> or <c>tls://</c> and an address (IPv6 in brackets), and
/// optionally <c>;advertise=host[:port]</c>, the name Via and Record-Route give the listener instead of its address.
/// </summary>
/// <param name="Advertise">The advertised host and port (the listener's own port when none is written); null for none.</param>
internal sealed record ListenEndpoint(SipTransportKind Transport, IPEndPoint EndPoint, HostPort? Advertise = null)
{
    public const string AdvertiseParameter = "advertise";

    private const string SchemeSeparator = "://";

    /// <summary>Bound to every address (0.0.0.0 or [::]): it has no address of its own for Via and Record-Route.</summary>
    public bool IsWildcard => EndPoint.Address.Equals(IPAddress.Any) || EndPoint.Address.Equals(IPAddress.IPv6Any);

    /// <summary>Two entries that bind one socket, whatever they advertise.</summary>
    public static IEqualityComparer<ListenEndpoint> SameSocket { get; } = EqualityComparer<ListenEndpoint>.Create(
        (x, y) => x?.Transport == y?.Transport && Equals(x?.EndPoint, y?.EndPoint),
        entry => HashCode.Combine(entry.Transport, entry.EndPoint));

    public AdvertisedAddress? Advertised => Advertise is { } named ? new AdvertisedAddress(named.Host, named.Port) : null;

    public LocalHop ToLocalHop() => new(Transport, EndPoint, Advertised);

    /// <summary>The entry of <paramref name="listen"/> that binds this socket, as configured there (with what it advertises).</summary>
    public ListenEndpoint? FindIn(IEnumerable<ListenEndpoint> listen) => listen.FirstOrDefault(entry => SameSocket.Equals(entry, this));

    /// <summary>
    /// Parses a reference to one of <paramref name="listen"/>, as a pair's egress or a rule's listener is written: null,
    /// with a fault under <paramref name="key"/>, when it is malformed or names no listener.
    /// </summary>
    /// <param name="listenKey">The full key of "Proxy:Listen", named in the fault.</param>
    public static ListenEndpoint? ParseOneOf(string text, ImmutableArray<ListenEndpoint> listen, SectionFaults key, string listenKey)
    {
        if (!TryParse(text.Trim(), out var named, out var fault))
        {
            key.Add(fault);
            return null;
        }

        if (named.FindIn(listen) is null)
        {
            key.Add($"'{text}' is not one of {listenKey} ({string.Join(", ", listen)})");
            return null;
        }

        return named;
    }

    /// <summary>As written, normalised: the advertised port only when it differs from the listener's.</summary>
    public override string ToString()
    {
        var bound = EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]:{EndPoint.Port}" : EndPoint.ToString();
        return $"{Transport.ToString().ToLowerInvariant()}{SchemeSeparator}{bound}{(Advertise is { } named ? $";{AdvertiseParameter}={AdvertiseText(named)}" : string.Empty)}";
    }

    private string AdvertiseText(HostPort named)
    {
        if (named.Port != EndPoint.Port)
        {
            return named.ToString();
        }

        return named.Address?.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{named.Host}]" : named.Host;
    }

    /// <param name="fault">The reason, without the key, when the entry is refused.</param>
    public static bool TryParse(string text, [NotNullWhen(true)] out ListenEndpoint? endpoint, out string fault)
    {
        endpoint = null;
        var separator = text.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        if (separator <= 0)
        {
            fault = $"'{text}' is not transport://address:port (e.g. udp://10.0.0.10:5060)";
            return false;
        }

        var scheme = text[..separator];
        if (!SipTransportNames.TryParse(System.Text.Encoding.ASCII.GetBytes(scheme), out var transport))
        {
            fault = $"'{text}': unknown transport '{scheme.ToLowerInvariant()}' (udp, tcp or tls)";
            return false;
        }

        var address = text[(separator + SchemeSeparator.Length)..];
        var parameters = address.IndexOf(';', StringComparison.Ordinal);
        if (!HostPort.TryParse(parameters < 0 ? address : address[..parameters], transport.DefaultPort(), out var hostPort, out var reason))
        {
            fault = $"'{text}' is not transport://address:port ({reason})";
            return false;
        }

        if (hostPort.Address is null)
        {
            fault = $"'{text}': the listen host must be an IP address, e.g. {scheme.ToLowerInvariant()}://10.0.0.10:{hostPort.Port}";
            return false;
        }

        HostPort? advertise = null;
        if (parameters >= 0)
        {
            foreach (var parameter in address[(parameters + 1)..].Split(';'))
            {
                if (!TryParseAdvertise(text, parameter, hostPort, out var named, out fault))
                {
                    return false;
                }

                if (advertise is not null)
                {
                    fault = $"'{text}': ;{AdvertiseParameter}= is given twice";
                    return false;
                }

                advertise = named;
            }
        }

        endpoint = new ListenEndpoint(transport, new IPEndPoint(hostPort.Address, hostPort.Port), advertise);
        fault = string.Empty;
        return true;
    }

    private static bool TryParseAdvertise(string text, string parameter, HostPort listen, out HostPort advertise, out string fault)
    {
        advertise = default;
        var equals = parameter.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || !parameter[..equals].Trim().Equals(AdvertiseParameter, StringComparison.OrdinalIgnoreCase))
        {
            fault = $"'{text}': unknown parameter '{parameter}' (only ;{AdvertiseParameter}=host[:port])";
            return false;
        }

        if (!HostPort.TryParse(parameter[(equals + 1)..], listen.Port, out var named, out var reason))
        {
            fault = $"'{text}': ;{AdvertiseParameter}= is not host[:port] ({reason})";
            return false;
        }

        if (named.Address is { } address && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            fault = $"'{text}': ;{AdvertiseParameter}= must name an address peers can reach, not every address";
            return false;
        }

        if (named.Address is { } literal && literal.AddressFamily != listen.Address!.AddressFamily)
        {
            fault = $"'{text}': ;{AdvertiseParameter}={named.Host} is not of the listener's address family";
            return false;
        }

        advertise = named;
        fault = string.Empty;
        return true;
    }
}
