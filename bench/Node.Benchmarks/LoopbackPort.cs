using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Node.Benchmarks;

/// <summary>A loopback port the system reports free now, for the keys that need a number up front.</summary>
internal static class LoopbackPort
{
    public static int FreeUdp() => Free(SocketType.Dgram, ProtocolType.Udp);

    public static int FreeTcp() => Free(SocketType.Stream, ProtocolType.Tcp);

    private static int Free(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
