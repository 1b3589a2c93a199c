using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Location;

/// <summary>
/// The SIP services a domain's NAPTR records name (RFC 3263 §4.1): records with the "S" flag and a service of
/// <c>SIP+D2U</c> or <c>SIP+D2T</c>, lowest order then lowest preference first, each giving the SRV name to ask.
/// </summary>
/// <remarks>
/// <c>SIPS+D2T</c> is left out: it would upgrade a <c>sip:</c> hop to TLS, which this proxy does not send yet.
/// A hop that asks for TLS names its transport, and a hop that names its transport skips NAPTR.
/// </remarks>
internal static class NaptrSipServices
{
    private const char SrvFlag = 'S';
    private const string SipOverUdp = "SIP+D2U";
    private const string SipOverTcp = "SIP+D2T";

    public static List<(SipTransportKind Transport, string ServiceName)> Arrange(IEnumerable<DnsRecord> records)
    {
        var services = new List<(SipTransportKind Transport, string ServiceName)>();
        foreach (var record in records.OfType<DnsRecord.NamingAuthorityPointer>().OrderBy(record => record.Order).ThenBy(record => record.Preference))
        {
            // "S": the replacement is an SRV name. Other flags lead to rewrites or URIs that SIP does not use.
            if (record.Flags is not { Length: 1 } flags || char.ToUpperInvariant(flags[0]) != SrvFlag)
            {
                continue;
            }

            if (string.Equals(record.Services, SipOverUdp, StringComparison.OrdinalIgnoreCase))
            {
                services.Add((SipTransportKind.Udp, record.Replacement));
            }
            else if (string.Equals(record.Services, SipOverTcp, StringComparison.OrdinalIgnoreCase))
            {
                services.Add((SipTransportKind.Tcp, record.Replacement));
            }
        }

        return services;
    }
}
