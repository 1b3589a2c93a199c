using System.Buffers.Binary;
using System.Net;

namespace OrleansProxy.TestSupport;

/// <summary>
/// Writes UDP datagrams as a classic pcap file (Ethernet link type), each in the Ethernet, IPv4 and UDP headers a
/// capture on the wire would show, so that a decoder reads them as if sniffed on the collector's port.
/// </summary>
public static class PcapFile
{
    private const uint Magic = 0xa1b2c3d4;
    private const uint LinkTypeEthernet = 1;

    public static void Write(string path, IReadOnlyList<byte[]> datagrams, IPEndPoint from, IPEndPoint to)
    {
        using var file = File.Create(path);
        var head = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(head, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(16), 65_535);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(20), LinkTypeEthernet);
        file.Write(head);
        var seconds = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 0; i < datagrams.Count; i++)
        {
            var frame = Frame(datagrams[i], from, to);
            var record = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(record, seconds);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)i);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }

    private static byte[] Frame(byte[] payload, IPEndPoint from, IPEndPoint to)
    {
        var frame = new byte[14 + 20 + 8 + payload.Length];
        var span = frame.AsSpan();

        // Ethernet: zero MAC addresses, EtherType IPv4.
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);
        var ip = span[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
        ip[8] = 64;
        ip[9] = 17;
        from.Address.TryWriteBytes(ip[12..], out _);
        to.Address.TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20]));
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        return frame;
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
