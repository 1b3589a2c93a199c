using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Blocking <c>recvmsg(2)</c> on a UDP socket with the kernel's arrival timestamp of each datagram (<c>SO_TIMESTAMPNS</c>),
/// on 64-bit Linux: the runtime's receive calls return no ancillary data but packet information. The receive buffer, the
/// sender's address and the control buffer are pinned once for the life of the loop, so a receive allocates nothing.
/// </summary>
/// <remarks>
/// The call holds the socket's handle like the runtime's own blocking receive does, so disposing the socket wakes it the
/// same way. One per receive loop; not thread-safe.
/// </remarks>
internal sealed class TimestampedReceive : IDisposable
{
    private const int SolSocket = 1;
    private const int SoTimestampNs = 35;
    private const int Interrupted = 4;
    private const int ControlBytes = 64;

    // struct cmsghdr on 64-bit Linux: size_t cmsg_len, int cmsg_level, int cmsg_type, then the data, 8-byte aligned.
    private const int ControlHeaderBytes = 16;
    private const int TimespecBytes = 16;

    private readonly SafeHandle socket;
    private readonly SocketAddress sender;
    private readonly int senderCapacity;
    private readonly byte[] control = new byte[ControlBytes];
    private readonly IoVector[] vector = new IoVector[1];
    private readonly GCHandle bufferPin;
    private readonly GCHandle senderPin;
    private readonly GCHandle controlPin;
    private readonly GCHandle vectorPin;
    private MessageHeader header;

    private TimestampedReceive(Socket socket, byte[] buffer, int length, SocketAddress sender, ArraySegment<byte> senderBytes)
    {
        this.socket = socket.SafeHandle;
        this.sender = sender;
        senderCapacity = senderBytes.Count;
        bufferPin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        senderPin = GCHandle.Alloc(senderBytes.Array, GCHandleType.Pinned);
        controlPin = GCHandle.Alloc(control, GCHandleType.Pinned);
        vector[0] = new IoVector { Base = bufferPin.AddrOfPinnedObject(), Length = (nuint)length };
        vectorPin = GCHandle.Alloc(vector, GCHandleType.Pinned);
        header = new MessageHeader
        {
            Name = senderPin.AddrOfPinnedObject() + senderBytes.Offset,
            Vector = vectorPin.AddrOfPinnedObject(),
            VectorLength = 1,
            Control = controlPin.AddrOfPinnedObject(),
        };
    }

    /// <summary>
    /// Turns the kernel's timestamps on for <paramref name="socket"/> and readies receives into the first
    /// <paramref name="length"/> bytes of <paramref name="buffer"/>, the sender read into <paramref name="sender"/>.
    /// Null where the platform cannot: the loop then receives without timestamps.
    /// </summary>
    public static TimestampedReceive? TryStart(Socket socket, byte[] buffer, int length, SocketAddress sender)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || !MemoryMarshal.TryGetArray<byte>(sender.Buffer, out var senderBytes))
        {
            return null;
        }

        try
        {
            socket.SetRawSocketOption(SolSocket, SoTimestampNs, [1, 0, 0, 0]);
        }
        catch (SocketException)
        {
            return null;
        }

        return new TimestampedReceive(socket, buffer, length, sender, senderBytes);
    }

    /// <summary>Waits for the next datagram.</summary>
    /// <param name="arrivedAtUnixTicks">When the kernel received it (100 ns ticks since 1970, its real-time clock); 0 when it gave no timestamp.</param>
    /// <returns>Its length, with the sender in the address given to <see cref="TryStart"/>; or, when the receive failed, minus the errno.</returns>
    public int Receive(out long arrivedAtUnixTicks)
    {
        while (true)
        {
            header.NameLength = senderCapacity;
            header.ControlLength = ControlBytes;
            header.Flags = 0;
            var received = ReceiveMessage(socket, ref header, 0);
            if (received < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                {
                    continue;
                }

                arrivedAtUnixTicks = 0;
                return -error;
            }

            sender.Size = Math.Min(header.NameLength, senderCapacity);
            arrivedAtUnixTicks = ArrivalOf(control.AsSpan(0, (int)Math.Min(header.ControlLength, ControlBytes)));
            return (int)received;
        }
    }

    public void Dispose()
    {
        vectorPin.Free();
        controlPin.Free();
        senderPin.Free();
        bufferPin.Free();
    }

    /// <summary>The SCM_TIMESTAMPNS message among the control messages, as 100 ns ticks since 1970; 0 when there is none.</summary>
    internal static long ArrivalOf(ReadOnlySpan<byte> messages)
    {
        while (messages.Length >= ControlHeaderBytes)
        {
            var length = (long)MemoryMarshal.Read<ulong>(messages);
            if (length < ControlHeaderBytes || length > messages.Length)
            {
                return 0;
            }

            if (MemoryMarshal.Read<int>(messages[8..]) == SolSocket && MemoryMarshal.Read<int>(messages[12..]) == SoTimestampNs
                && length >= ControlHeaderBytes + TimespecBytes)
            {
                var seconds = MemoryMarshal.Read<long>(messages[ControlHeaderBytes..]);
                var nanoseconds = MemoryMarshal.Read<long>(messages[(ControlHeaderBytes + 8)..]);
                return (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
            }

            var aligned = (int)((length + 7) & ~7L);
            messages = aligned >= messages.Length ? [] : messages[aligned..];
        }

        return 0;
    }

    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static extern nint ReceiveMessage(SafeHandle socket, ref MessageHeader message, int flags);

    // struct iovec and struct msghdr as 64-bit Linux lays them out.
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public nint Name;
        public int NameLength;
        public nint Vector;
        public nuint VectorLength;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }
}
