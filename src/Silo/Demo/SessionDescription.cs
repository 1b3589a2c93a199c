using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Silo.Demo;

/// <summary>A minimal audio session description (RFC 4566): the demo sends no media, but real peers expect a body.</summary>
internal static class SessionDescription
{
    public const string ContentType = "application/sdp";

    public static string Create(IPAddress address, int mediaPort, long sessionId)
    {
        var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        return $"v=0\r\no=- {sessionId} 1 IN {family} {address}\r\ns=OrleansProxy demo\r\nc=IN {family} {address}\r\nt=0 0\r\n"
            + $"m=audio {mediaPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }
}
