using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>recvmsg with the kernel's arrival timestamps (SO_TIMESTAMPNS), and the reading of its control messages.</summary>
public sealed class TimestampedReceiveTests
{
    private const int SolSocket = 1;
    private const int ScmTimestampNs = 35;
    private const int IpProtocolIp = 0;
    private const int IpPacketInfo = 8;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Receive_ADatagram_GivesItsBytesItsSenderAndWhenTheKernelGotIt(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        using var peer = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(address, 0));
        var buffer = new byte[2048];
        var sender = new SocketAddress(address.AddressFamily);
        using var receive = TimestampedReceive.TryStart(socket, buffer, buffer.Length, sender);
        Assert.NotNull(receive);
        var before = DateTime.UtcNow;

        await peer.SendToAsync("timed"u8.ToArray(), socket.LocalEndPoint!);
        var (length, arrivedAt) = await Task.Run(() => (receive.Receive(out var at), at)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("timed", SipText.Text(buffer.AsSpan(0, length)));
        Assert.Equal(peer.LocalEndPoint, new IPEndPoint(address, 0).Create(sender));
        var arrived = DateTime.UnixEpoch.AddTicks(arrivedAt);
        Assert.InRange(arrived, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void ArrivalOf_TimestampAfterAnotherControlMessage_IsFound()
    {
        var messages = new byte[64];
        WriteControl(messages, IpProtocolIp, IpPacketInfo, dataBytes: 12);
        WriteTimestamp(messages.AsSpan(32), seconds: 1_800_000_000, nanoseconds: 123_456_789);

        Assert.Equal((1_800_000_000 * TimeSpan.TicksPerSecond) + 1_234_567, TimestampedReceive.ArrivalOf(messages));
    }

    [Fact]
    public void ArrivalOf_NoTimestampAmongTheMessages_IsZero()
    {
        var messages = new byte[32];
        WriteControl(messages, IpProtocolIp, IpPacketInfo, dataBytes: 12);

        Assert.Equal(0, TimestampedReceive.ArrivalOf(messages));
        Assert.Equal(0, TimestampedReceive.ArrivalOf([]));
    }

    [Fact]
    public void ArrivalOf_LengthPastTheBuffer_IsZeroNotARead()
    {
        var messages = new byte[32];
        WriteTimestamp(messages, seconds: 1, nanoseconds: 0);
        BinaryPrimitives.WriteUInt64LittleEndian(messages, 4096);

        Assert.Equal(0, TimestampedReceive.ArrivalOf(messages));
    }

    private static void WriteTimestamp(Span<byte> at, long seconds, long nanoseconds)
    {
        WriteControl(at, SolSocket, ScmTimestampNs, dataBytes: 16);
        BinaryPrimitives.WriteInt64LittleEndian(at[16..], seconds);
        BinaryPrimitives.WriteInt64LittleEndian(at[24..], nanoseconds);
    }

    // struct cmsghdr on 64-bit Linux: cmsg_len (size_t, header included), cmsg_level, cmsg_type.
    private static void WriteControl(Span<byte> at, int level, int type, int dataBytes)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(at, (ulong)(16 + dataBytes));
        BinaryPrimitives.WriteInt32LittleEndian(at[8..], level);
        BinaryPrimitives.WriteInt32LittleEndian(at[12..], type);
    }
}
