using System.Net;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Capture;

public sealed class HepEncoderTests
{
    // 32 bytes with the compact Call-ID form, so the correlation id comes from "i:".
    private static readonly byte[] Message = "OPTIONS sip:a SIP/2.0\r\ni: c1\r\n\r\n"u8.ToArray();

    // 2023-11-14T22:13:20.000005Z.
    private const long Time = 1_700_000_000_000_005;

    [Fact]
    public void Write_Ipv4Udp_WritesEveryChunkByteForByte()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];

        var length = HepEncoder.Write(packet, Message, SipTransportKind.Udp, IPEndPoint.Parse("10.1.1.1:5062"), IPEndPoint.Parse("10.2.2.2:5060"), Time, 42);

        var expected = Convert.FromHexString(
            "48455033" + "008B" +          // "HEP3", 139 bytes in all
            "0000" + "0001" + "0007" + "02" +  // IP family: IPv4
            "0000" + "0002" + "0007" + "11" +  // protocol: UDP (17)
            "0000" + "0003" + "000A" + "0A010101" +
            "0000" + "0004" + "000A" + "0A020202" +
            "0000" + "0007" + "0008" + "13C6" + // 5062
            "0000" + "0008" + "0008" + "13C4" + // 5060
            "0000" + "0009" + "000A" + "6553F100" + // 1700000000 s
            "0000" + "000A" + "000A" + "00000005" + // 5 µs
            "0000" + "000B" + "0007" + "01" +       // SIP
            "0000" + "000C" + "000A" + "0000002A" + // capture id 42
            "0000" + "000F" + "0026" + Convert.ToHexString(Message) +
            "0000" + "0011" + "0008" + "6331");     // "c1"
        Assert.Equal(expected, packet[..length]);
    }

    [Fact]
    public void Write_Ipv6Tcp_WritesSixteenByteAddressesAndTcp()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];

        var length = HepEncoder.Write(packet, Message, SipTransportKind.Tcp, IPEndPoint.Parse("[2001:db8::1]:5061"), IPEndPoint.Parse("[2001:db8::2]:5060"), Time, 7);

        var expected = Convert.FromHexString(
            "48455033" + "00A3" +
            "0000" + "0001" + "0007" + "0A" +  // IP family: IPv6
            "0000" + "0002" + "0007" + "06" +  // protocol: TCP
            "0000" + "0005" + "0016" + "20010DB8000000000000000000000001" +
            "0000" + "0006" + "0016" + "20010DB8000000000000000000000002" +
            "0000" + "0007" + "0008" + "13C5" +
            "0000" + "0008" + "0008" + "13C4" +
            "0000" + "0009" + "000A" + "6553F100" +
            "0000" + "000A" + "000A" + "00000005" +
            "0000" + "000B" + "0007" + "01" +
            "0000" + "000C" + "000A" + "00000007" +
            "0000" + "000F" + "0026" + Convert.ToHexString(Message) +
            "0000" + "0011" + "0008" + "6331");
        Assert.Equal(expected, packet[..length]);
    }

    [Fact]
    public void Write_Tls_IsReportedAsTcp()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];

        var length = HepEncoder.Write(packet, Message, SipTransportKind.Tls, IPEndPoint.Parse("10.1.1.1:5061"), IPEndPoint.Parse("10.2.2.2:5061"), Time, 1);

        Assert.Equal([6], Support.HepPacket.Parse(packet.AsSpan(0, length)).Chunk(0x0002));
    }

    [Fact]
    public void Write_Ipv4MappedAndIpv6_WritesBothAsIpv6()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];
        var mapped = new IPEndPoint(IPAddress.Parse("10.1.1.1").MapToIPv6(), 5060);

        var length = HepEncoder.Write(packet, Message, SipTransportKind.Udp, mapped, IPEndPoint.Parse("[2001:db8::2]:5060"), Time, 1);

        var read = Support.HepPacket.Parse(packet.AsSpan(0, length));
        Assert.Equal([10], read.Chunk(0x0001));
        Assert.Equal(mapped.Address.GetAddressBytes(), read.Chunk(0x0005));
    }

    [Fact]
    public void Write_Ipv4Mapped_IsWrittenAsIpv4()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];
        var mapped = new IPEndPoint(IPAddress.Parse("10.1.1.1").MapToIPv6(), 5060);

        var length = HepEncoder.Write(packet, Message, SipTransportKind.Udp, mapped, IPEndPoint.Parse("10.2.2.2:5060"), Time, 1);

        Assert.Equal(Convert.FromHexString("0A010101"), Support.HepPacket.Parse(packet.AsSpan(0, length)).Chunk(0x0003));
    }

    [Fact]
    public void Write_NoCallId_LeavesTheCorrelationChunkOut()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];

        var length = HepEncoder.Write(packet, "SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n"u8, SipTransportKind.Udp, IPEndPoint.Parse("10.1.1.1:1"), IPEndPoint.Parse("10.2.2.2:2"), Time, 1);

        Assert.False(Support.HepPacket.Parse(packet.AsSpan(0, length)).Has(0x0011));
    }

    [Fact]
    public void Write_PacketLargerThanADatagram_WritesNothing()
    {
        var packet = new byte[HepEncoder.MaxPacketBytes];
        var huge = new byte[HepEncoder.MaxPacketBytes - 90];

        var length = HepEncoder.Write(packet, huge, SipTransportKind.Tcp, IPEndPoint.Parse("10.1.1.1:1"), IPEndPoint.Parse("10.2.2.2:2"), Time, 1);

        Assert.Equal(0, length);
    }
}
