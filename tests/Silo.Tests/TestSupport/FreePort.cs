using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Silo.Tests.TestSupport;

internal static class FreePort
{
    /// <summary>A loopback TCP port that was free a moment ago, for listeners that cannot take port 0.</summary>
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A loopback UDP end point that was free a moment ago. Another process may take it first; the test
    /// peers fail fast on a bind error, so that race shows as a clear start-up failure, not crossed traffic.
    /// </summary>
    public static IPEndPoint Udp() => Udp(IPAddress.Loopback);

    /// <param name="address">A loopback address: Linux routes all of 127.0.0.0/8 to lo, so tests give each peer its own.</param>
    public static IPEndPoint Udp(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
