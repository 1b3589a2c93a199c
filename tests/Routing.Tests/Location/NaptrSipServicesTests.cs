using OrleansProxy.Routing.Location;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Tests.Location;

public sealed class NaptrSipServicesTests
{
    private const string Domain = "example.com.";

    [Fact]
    public void Rfc3263_4_1_Arrange_LowestOrderThenLowestPreferenceFirst_OnlySipOverUdpAndTcpWithTheSFlag()
    {
        DnsRecord[] records =
        [
            Naptr(order: 20, preference: 10, "S", "SIP+D2U", "_sip._udp.example.com."),
            Naptr(order: 10, preference: 20, "s", "SIP+D2T", "_sip._tcp.example.com."),
            Naptr(order: 10, preference: 10, "S", "SIPS+D2T", "_sips._tcp.example.com."),
            Naptr(order: 10, preference: 5, "U", "SIP+D2U", "!^.*$!sip:x@example.com!"),
            new DnsRecord.Address(Domain, 300, System.Net.IPAddress.Loopback),
        ];

        var services = NaptrSipServices.Arrange(records);

        Assert.Equal(
            [(SipTransportKind.Tcp, "_sip._tcp.example.com."), (SipTransportKind.Udp, "_sip._udp.example.com.")],
            services);
    }

    private static DnsRecord.NamingAuthorityPointer Naptr(int order, int preference, string flags, string services, string replacement) =>
        new(Domain, 300, order, preference, flags, services, replacement);
}
