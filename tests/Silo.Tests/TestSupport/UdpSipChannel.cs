using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Silo.Tests.TestSupport;

internal sealed class UdpSipChannel(IPEndPoint proxy) : ISipChannel
{
    private readonly UdpClient socket = new(new IPEndPoint(proxy.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));

    public string ViaTransport => "UDP";

    public string LocalHostPort => HostPort.Of((IPEndPoint)socket.Client.LocalEndPoint!);

    public Task SendAsync(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
        return socket.SendAsync(bytes, proxy).AsTask();
    }

    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var received = await socket.ReceiveAsync(cancel.Token);
            return Encoding.ASCII.GetString(received.Buffer);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
