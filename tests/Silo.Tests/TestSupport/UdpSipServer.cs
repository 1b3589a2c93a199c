using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A SIP server on UDP for end-to-end tests: answers as <see cref="SipAnswers"/> says, to the address the request came
/// from, with the request's Record-Route copied as a UAS does (RFC 3261 §12.1.1), and keeps every request with that address.
/// </summary>
internal sealed class UdpSipServer : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<(string Text, IPEndPoint Source)> requests = new();
    private readonly Task serving;

    private UdpSipServer(Socket socket)
    {
        this.socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        serving = ServeAsync();
    }

    public IPEndPoint EndPoint { get; }

    public static UdpSipServer Start(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return new UdpSipServer(socket);
    }

    /// <summary>Requests received so far whose method is <paramref name="method"/>, oldest first, with the address each came from.</summary>
    public IReadOnlyList<(string Text, IPEndPoint Source)> RequestsOf(string method) =>
        [.. requests.Where(request => request.Text.StartsWith(method + " ", StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        socket.Dispose();
        try
        {
            await serving;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[65_535];
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var text = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
            if (text.StartsWith("SIP/2.0", StringComparison.Ordinal))
            {
                continue;
            }

            var source = (IPEndPoint)received.RemoteEndPoint;
            requests.Enqueue((text, source));
            var recordRoutes = string.Concat(text.Split("\r\n").Where(line => line.StartsWith("Record-Route:", StringComparison.OrdinalIgnoreCase)).Select(line => line + "\r\n"));
            foreach (var response in SipAnswers.For(text, EndPoint, "udp"))
            {
                var withRoutes = response.Replace("\r\nContact: ", "\r\n" + recordRoutes + "Contact: ", StringComparison.Ordinal);
                await socket.SendToAsync(Encoding.ASCII.GetBytes(withRoutes), SocketFlags.None, source);
            }
        }
    }
}
