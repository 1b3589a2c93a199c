using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Silo.Tests.TestSupport;

internal static class FreePort
{
    /// <summary>A loopback TCP port that was free a moment ago, for listeners that cannot take port 0.</summary>
    public static int Tcp() => TcpOn(IPAddress.Loopback).Port;

    /// <summary>A TCP end point on <paramref name="address"/> (IPv4 or IPv6 loopback) that was free a moment ago.</summary>
    public static IPEndPoint TcpOn(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return (IPEndPoint)listener.LocalEndpoint;
    }

    /// <summary>A UDP end point on <paramref name="address"/> (IPv4 or IPv6 loopback) that was free a moment ago.</summary>
    public static IPEndPoint UdpOn(IPAddress address)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>
    /// A loopback UDP end point that was free a moment ago. Another process may take it first; the test
    /// peers fail fast on a bind error, so that race shows as a clear start-up failure, not crossed traffic.
    /// </summary>
    public static IPEndPoint Udp() => UdpOn(IPAddress.Loopback);
}
