using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

public sealed class UdpListenerTests : IDisposable
{
    private readonly SipMetrics metrics = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task ReceiveLoop_HandlerThrowsOnOneDatagram_KeepsServingTheNext()
    {
        var handler = new ThrowingOnceHandler();
        await using var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        listener.Start(handler, concurrentReceives: 2);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await client.SendToAsync("boom"u8.ToArray(), listener.Hop.EndPoint);
        await client.SendToAsync("fine"u8.ToArray(), listener.Hop.EndPoint);

        Assert.Equal("fine", await handler.Handled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SendAsync_ReachesThePeer()
    {
        await using var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[100];

        Assert.True(await listener.SendAsync("hello"u8.ToArray(), (IPEndPoint)peer.LocalEndPoint!, CancellationToken.None));
        var received = await peer.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("hello", SipText.Text(buffer.AsSpan(0, received)));
    }

    [Fact]
    public void Bind_PortInUse_FailsAtOnce()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Throws<SocketException>(() => UdpListener.Bind((IPEndPoint)taken.LocalEndPoint!, NullLogger.Instance, metrics));
    }

    private sealed class ThrowingOnceHandler : ISipMessageHandler
    {
        public TaskCompletionSource<string> Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            var text = SipText.Text(data.Span);
            if (text == "boom")
            {
                throw new InvalidOperationException("handler failure on purpose");
            }

            Handled.TrySetResult(text);
            return ValueTask.CompletedTask;
        }
    }
}
