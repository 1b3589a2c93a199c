using System.Buffers.Binary;
using System.Net;

namespace OrleansProxy.Sip.Overload;

/// <summary>
/// A source IP address as a 128-bit value, an IPv4 address in its IPv4-mapped form so that a dual-stack socket's
/// ::ffff:a.b.c.d and a.b.c.d are one source. A value type, so the source table holds no address objects.
/// </summary>
internal readonly record struct SourceAddress(UInt128 Value)
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    public static SourceAddress Of(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? new SourceAddress(MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : new SourceAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }
}
