using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// How this proxy names itself on one listener: the Via sent-by and the Record-Route URI, formatted once
/// so that forwarding only copies bytes. They name the advertised address when the listener has one, else the
/// address it is bound to.
/// </summary>
public sealed class LocalHop
{
    // What Via and Record-Route name: the advertised host (as an address when it is one) and port, or the bound ones.
    private readonly byte[]? nameHost;
    private readonly IPAddress? nameAddress;
    private readonly int namePort;
    private readonly string description;

    public LocalHop(SipTransportKind transport, IPEndPoint endPoint, AdvertisedAddress? advertised = null)
    {
        Transport = transport;
        EndPoint = endPoint;
        Advertised = advertised;
        IsWildcard = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any);
        var host = advertised?.Host ?? endPoint.Address.ToString();
        namePort = advertised is { Port: > 0 } named ? named.Port : endPoint.Port;
        nameAddress = IPAddress.TryParse(host, out var literal) ? literal : null;
        nameHost = nameAddress is null ? Encoding.ASCII.GetBytes(host) : null;
        var bracketed = nameAddress?.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        var hostPort = $"{bracketed}:{namePort}";
        var transportParam = transport == SipTransportKind.Udp ? string.Empty : $";transport={transport.ToString().ToLowerInvariant()}";
        SentBy = Encoding.ASCII.GetBytes(hostPort);
        ViaPrefix = Encoding.ASCII.GetBytes($"Via: SIP/2.0/{transport.ToString().ToUpperInvariant()} {hostPort};branch=");
        RecordRouteLine = Encoding.ASCII.GetBytes($"Record-Route: <sip:{hostPort}{transportParam};lr>\r\n");
        Uri = Encoding.ASCII.GetBytes($"sip:{hostPort}");
        var bound = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();
        var advertise = advertised is null ? string.Empty : $";advertise={(namePort == endPoint.Port ? bracketed : hostPort)}";
        description = $"{transport.ToString().ToLowerInvariant()}://{bound}{advertise}";
    }

    public SipTransportKind Transport { get; }

    /// <summary>The address and port the socket is bound to.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The name Via and Record-Route give instead of <see cref="EndPoint"/>; null when they name the endpoint.</summary>
    public AdvertisedAddress? Advertised { get; }

    /// <summary>Bound to every address of its family (0.0.0.0 or ::): it sends from whichever the route table picks.</summary>
    public bool IsWildcard { get; }

    /// <summary>host:port as it appears in our Via (IPv6 in brackets).</summary>
    public byte[] SentBy { get; }

    /// <summary>"Via: SIP/2.0/UDP host:port;branch=" — the branch value and CRLF follow.</summary>
    public byte[] ViaPrefix { get; }

    public byte[] RecordRouteLine { get; }

    /// <summary>"sip:host:port", used in From/To of requests this proxy originates.</summary>
    public byte[] Uri { get; }

    /// <summary>
    /// True when a URI's host and port name this listener: the name it advertises, or the address it is bound to
    /// unless that is every address.
    /// </summary>
    /// <param name="host">The host without IPv6 brackets.</param>
    /// <param name="address"><paramref name="host"/> parsed, when it is an IP address.</param>
    /// <param name="port">The URI's port; 0 for the transport's default.</param>
    public bool IsNamedBy(ReadOnlySpan<byte> host, IPAddress? address, int port)
    {
        var effectivePort = port == 0 ? Transport.DefaultPort() : port;
        if (address is null)
        {
            return nameHost is not null && effectivePort == namePort && Ascii.EqualsIgnoreCase(host, nameHost);
        }

        return (effectivePort == namePort && address.Equals(nameAddress))
            || (effectivePort == EndPoint.Port && !IsWildcard && address.Equals(EndPoint.Address));
    }

    /// <summary>As configured: "udp://0.0.0.0:5060;advertise=10.0.0.10", or "udp://10.0.0.10:5060" without an advertised name.</summary>
    public override string ToString() => description;
}
