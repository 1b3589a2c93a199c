using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>A SIP peer on a UDP socket of its own on loopback: sends test text as CRLF datagrams, reads datagrams back as text.</summary>
internal sealed class UdpPeer : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] buffer = new byte[65535];

    public UdpPeer()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public async Task SendAsync(string sipText, IPEndPoint destination) =>
        await socket.SendToAsync(SipText.Wire(sipText), destination).WaitAsync(Patience);

    /// <summary>The next datagram, as text with "\n" line ends; fails after 10 s.</summary>
    public async Task<string> ReceiveAsync()
    {
        var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Patience);
        return SipText.Text(buffer.AsSpan(0, received.ReceivedBytes));
    }

    /// <summary>The next datagram that starts with <paramref name="startLine"/>, skipping others (a 100 Trying).</summary>
    public async Task<string> ReceiveAsync(string startLine)
    {
        while (true)
        {
            var text = await ReceiveAsync();
            if (text.StartsWith(startLine, StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    public void Dispose() => socket.Dispose();
}
