using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Simulation;

/// <summary>A minimal audio session description (RFC 4566): the simulation sends no media, but real peers expect a body.</summary>
internal static class SessionDescription
{
    public const string ContentTypeLine = "Content-Type: application/sdp\r\n";

    public static byte[] Create(IPAddress address, int mediaPort, long sessionId)
    {
        var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        return Encoding.ASCII.GetBytes(
            $"v=0\r\no=- {sessionId} 1 IN {family} {address}\r\ns=OrleansProxy simulation\r\nc=IN {family} {address}\r\nt=0 0\r\n"
            + $"m=audio {mediaPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
    }
}
