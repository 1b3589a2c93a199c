using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// Loopback UDP end points that were free a moment ago. Another process may take one before
/// it is used; the test peers that use them fail fast on a bind error, so that race shows up
/// as a clear start-up failure rather than as crossed traffic.
/// </summary>
internal static class FreeUdpPort
{
    public static IPEndPoint OnLoopback()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
