using System.Net;
using System.Text;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// How this proxy names itself on one listener: the Via sent-by and the Record-Route URI, formatted once
/// so that forwarding only copies bytes.
/// </summary>
public sealed class LocalHop
{
    public LocalHop(SipTransportKind transport, IPEndPoint endPoint)
    {
        Transport = transport;
        EndPoint = endPoint;
        var hostPort = endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port}"
            : $"{endPoint.Address}:{endPoint.Port}";
        var transportParam = transport == SipTransportKind.Udp ? string.Empty : $";transport={transport.ToString().ToLowerInvariant()}";
        SentBy = Encoding.ASCII.GetBytes(hostPort);
        ViaPrefix = Encoding.ASCII.GetBytes($"Via: SIP/2.0/{transport.ToString().ToUpperInvariant()} {hostPort};branch=");
        RecordRouteLine = Encoding.ASCII.GetBytes($"Record-Route: <sip:{hostPort}{transportParam};lr>\r\n");
        Uri = Encoding.ASCII.GetBytes($"sip:{hostPort}");
    }

    public SipTransportKind Transport { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>host:port as it appears in our Via (IPv6 in brackets).</summary>
    public byte[] SentBy { get; }

    /// <summary>"Via: SIP/2.0/UDP host:port;branch=" — the branch value and CRLF follow.</summary>
    public byte[] ViaPrefix { get; }

    public byte[] RecordRouteLine { get; }

    /// <summary>"sip:host:port", used in From/To of requests this proxy originates.</summary>
    public byte[] Uri { get; }

    public override string ToString() => $"{Transport.ToString().ToLowerInvariant()}://{Encoding.ASCII.GetString(SentBy)}";
}
