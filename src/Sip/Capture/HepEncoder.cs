using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Capture;

/// <summary>
/// Writes one SIP message as a HEP v3 packet (the Homer encapsulation protocol): "HEP3", the total length, then
/// chunks of vendor 0 (generic), each a type, a length that counts its own 6-byte head, and a big-endian value.
/// </summary>
public static class HepEncoder
{
    /// <summary>The largest UDP payload over IPv4: a packet that does not fit is not sent.</summary>
    public const int MaxPacketBytes = 65_507;

    private const int ChunkHeadBytes = 6;

    // The size of everything but the two IPv4 addresses, the payload and the correlation id.
    private const int FixedBytes = 6 + (ChunkHeadBytes + 1) * 3 + (ChunkHeadBytes + 2) * 2 + (ChunkHeadBytes + 4) * 3 + ChunkHeadBytes;

    private const byte FamilyIPv4 = 2;
    private const byte FamilyIPv6 = 10;
    private const byte ProtocolUdp = 17;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolTypeSip = 1;

    private const ushort ChunkIpFamily = 0x0001;
    private const ushort ChunkProtocolId = 0x0002;
    private const ushort ChunkIPv4Source = 0x0003;
    private const ushort ChunkIPv4Destination = 0x0004;
    private const ushort ChunkIPv6Source = 0x0005;
    private const ushort ChunkIPv6Destination = 0x0006;
    private const ushort ChunkSourcePort = 0x0007;
    private const ushort ChunkDestinationPort = 0x0008;
    private const ushort ChunkSeconds = 0x0009;
    private const ushort ChunkMicroseconds = 0x000a;
    private const ushort ChunkProtocolType = 0x000b;
    private const ushort ChunkCaptureId = 0x000c;
    private const ushort ChunkPayload = 0x000f;
    private const ushort ChunkCorrelationId = 0x0011;

    /// <summary>
    /// Writes the packet for <paramref name="message"/>, with its Call-ID as correlation id. TLS is reported as TCP:
    /// HEP names the IP protocol, and what a collector needs is the decrypted SIP, which is what we have.
    /// </summary>
    /// <param name="unixMicroseconds">When the message was received or sent, in microseconds since 1970 (UTC).</param>
    /// <returns>The packet's length, or 0 when it does not fit in <paramref name="destination"/> or in <see cref="MaxPacketBytes"/>.</returns>
    public static int Write(
        Span<byte> destination,
        ReadOnlySpan<byte> message,
        SipTransportKind transport,
        IPEndPoint source,
        IPEndPoint target,
        long unixMicroseconds,
        uint captureId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var sourceAddress = source.Address;
        var targetAddress = target.Address;

        // One family per packet: a mapped IPv4 address is IPv4; a real mix is written as IPv6 on both ends.
        if (sourceAddress.IsIPv4MappedToIPv6)
        {
            sourceAddress = sourceAddress.MapToIPv4();
        }

        if (targetAddress.IsIPv4MappedToIPv6)
        {
            targetAddress = targetAddress.MapToIPv4();
        }

        var ipv6 = sourceAddress.AddressFamily == AddressFamily.InterNetworkV6 || targetAddress.AddressFamily == AddressFamily.InterNetworkV6;
        if (ipv6)
        {
            sourceAddress = sourceAddress.MapToIPv6();
            targetAddress = targetAddress.MapToIPv6();
        }

        var callId = CallIdLocator.Find(message);
        var addressBytes = ipv6 ? 16 : 4;
        var length = FixedBytes + (2 * (ChunkHeadBytes + addressBytes)) + message.Length + (callId.IsEmpty ? 0 : ChunkHeadBytes + callId.Length);
        if (length > MaxPacketBytes || length > destination.Length)
        {
            return 0;
        }

        "HEP3"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)length);
        var at = 6;
        at += WriteByte(destination[at..], ChunkIpFamily, ipv6 ? FamilyIPv6 : FamilyIPv4);
        at += WriteByte(destination[at..], ChunkProtocolId, transport == SipTransportKind.Udp ? ProtocolUdp : ProtocolTcp);
        at += WriteAddress(destination[at..], ipv6 ? ChunkIPv6Source : ChunkIPv4Source, sourceAddress, addressBytes);
        at += WriteAddress(destination[at..], ipv6 ? ChunkIPv6Destination : ChunkIPv4Destination, targetAddress, addressBytes);
        at += WriteUInt16(destination[at..], ChunkSourcePort, (ushort)source.Port);
        at += WriteUInt16(destination[at..], ChunkDestinationPort, (ushort)target.Port);
        var seconds = Math.DivRem(unixMicroseconds, 1_000_000, out var microseconds);
        at += WriteUInt32(destination[at..], ChunkSeconds, (uint)seconds);
        at += WriteUInt32(destination[at..], ChunkMicroseconds, (uint)microseconds);
        at += WriteByte(destination[at..], ChunkProtocolType, ProtocolTypeSip);
        at += WriteUInt32(destination[at..], ChunkCaptureId, captureId);
        at += WriteBytes(destination[at..], ChunkPayload, message);
        if (!callId.IsEmpty)
        {
            at += WriteBytes(destination[at..], ChunkCorrelationId, callId);
        }

        return at;
    }

    private static int WriteHead(Span<byte> destination, ushort type, int valueLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(ChunkHeadBytes + valueLength));
        return ChunkHeadBytes;
    }

    private static int WriteByte(Span<byte> destination, ushort type, byte value)
    {
        destination[WriteHead(destination, type, 1)] = value;
        return ChunkHeadBytes + 1;
    }

    private static int WriteUInt16(Span<byte> destination, ushort type, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[WriteHead(destination, type, 2)..], value);
        return ChunkHeadBytes + 2;
    }

    private static int WriteUInt32(Span<byte> destination, ushort type, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[WriteHead(destination, type, 4)..], value);
        return ChunkHeadBytes + 4;
    }

    private static int WriteAddress(Span<byte> destination, ushort type, IPAddress address, int length)
    {
        address.TryWriteBytes(destination[WriteHead(destination, type, length)..], out _);
        return ChunkHeadBytes + length;
    }

    private static int WriteBytes(Span<byte> destination, ushort type, ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination[WriteHead(destination, type, value.Length)..]);
        return ChunkHeadBytes + value.Length;
    }
}
