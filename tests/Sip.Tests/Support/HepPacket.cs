using System.Buffers.Binary;
using System.Text;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>A HEP v3 packet read back chunk by chunk, written independently of the encoder so that tests check it.</summary>
internal sealed class HepPacket
{
    private readonly Dictionary<ushort, byte[]> chunks = [];

    private HepPacket()
    {
    }

    public string Payload => Encoding.UTF8.GetString(chunks[0x000f]);

    public string CorrelationId => Encoding.UTF8.GetString(chunks[0x0011]);

    public byte[] Chunk(ushort type) => chunks[type];

    public bool Has(ushort type) => chunks.ContainsKey(type);

    public static HepPacket Parse(ReadOnlySpan<byte> datagram)
    {
        Assert.True(datagram[..4].SequenceEqual("HEP3"u8), "not a HEP3 packet");
        Assert.Equal(datagram.Length, BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]));
        var packet = new HepPacket();
        var rest = datagram[6..];
        while (rest.Length > 0)
        {
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(rest));
            var type = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(rest[4..]);
            packet.chunks.Add(type, rest[6..length].ToArray());
            rest = rest[length..];
        }

        return packet;
    }
}
