using DnsClient.Protocol;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Routing;

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
    public static List<(SipTransportKind Transport, string ServiceName)> Arrange(IEnumerable<DnsResourceRecord> records)
    {
        var services = new List<(SipTransportKind Transport, string ServiceName)>();
        foreach (var record in records.OfType<NAPtrRecord>().OrderBy(record => record.Order).ThenBy(record => record.Preference))
        {
            // "S": the replacement is an SRV name. Other flags lead to rewrites or URIs that SIP does not use.
            if (record.Flags is not { Length: 1 } flags || char.ToUpperInvariant(flags[0]) != NAPtrRecord.SFlag)
            {
                continue;
            }

            if (string.Equals(record.Services, NAPtrRecord.ServiceKeySipUdp, StringComparison.OrdinalIgnoreCase))
            {
                services.Add((SipTransportKind.Udp, record.Replacement.Value));
            }
            else if (string.Equals(record.Services, NAPtrRecord.ServiceKeySipTcp, StringComparison.OrdinalIgnoreCase))
            {
                services.Add((SipTransportKind.Tcp, record.Replacement.Value));
            }
        }

        return services;
    }
}
