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
}
