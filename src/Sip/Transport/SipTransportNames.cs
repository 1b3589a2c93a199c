using System.Text;

namespace OrleansProxy.Sip.Transport;

/// <summary>The transport tokens of Via (RFC 3261 §20.42) and of the URI <c>transport</c> parameter (§19.1.1).</summary>
public static class SipTransportNames
{
    public static bool TryParse(ReadOnlySpan<byte> token, out SipTransportKind transport)
    {
        if (Ascii.EqualsIgnoreCase(token, "udp"u8))
        {
            transport = SipTransportKind.Udp;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(token, "tcp"u8))
        {
            transport = SipTransportKind.Tcp;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(token, "tls"u8))
        {
            transport = SipTransportKind.Tls;
            return true;
        }

        transport = default;
        return false;
    }

    public static bool IsStream(this SipTransportKind transport) => transport != SipTransportKind.Udp;

    /// <summary>The port a URI or Via without one means on this transport (RFC 3261 §19.1.2).</summary>
    public static int DefaultPort(this SipTransportKind transport) => transport == SipTransportKind.Tls ? SipDefaults.TlsPort : SipDefaults.Port;
}
