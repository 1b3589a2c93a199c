using System.Buffers;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>A plain TCP peer for stream transport tests: writes raw bytes, reads whole SIP messages framed by Content-Length.</summary>
internal sealed class StreamPeer(Socket socket) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly byte[] buffer = new byte[64 * 1024];
    private int buffered;

    public Socket Socket => socket;

    public IPEndPoint LocalEndPoint => (IPEndPoint)socket.LocalEndPoint!;

    public static async Task<StreamPeer> ConnectAsync(IPEndPoint server, IPAddress? from = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(server).WaitAsync(Patience);
        return new StreamPeer(socket);
    }

    public static async Task<StreamPeer> AcceptAsync(Socket listening) => new(await listening.AcceptAsync().WaitAsync(Patience));

    public async Task SendAsync(string sipText) => await SendAsync(SipText.Wire(sipText));

    public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes.AsMemory()).AsTask().WaitAsync(Patience);

    /// <summary>The next whole message, as text with "\n" line ends; fails after 10 s or when the connection ends first.</summary>
    public async Task<string> ReadMessageAsync()
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, 0, buffered);
            var status = SipFramer.TryFrame(sequence, SipParseLimits.Default, out var consumed, out var message, out _);
            if (status == SipFrameStatus.Message)
            {
                var text = SipText.Text(message.ToArray());
                Consume((int)sequence.Slice(0, consumed).Length);
                return text;
            }

            if (status == SipFrameStatus.KeepAlive)
            {
                Consume((int)sequence.Slice(0, consumed).Length);
                continue;
            }

            Assert.Equal(SipFrameStatus.Incomplete, status);
            Assert.True(await ReceiveAsync() > 0, "the connection ended before a whole message");
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes, whatever they are.</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        while (buffered < count)
        {
            Assert.True(await ReceiveAsync() > 0, "the connection ended early");
        }

        var bytes = buffer.AsSpan(0, count).ToArray();
        Consume(count);
        return bytes;
    }

    /// <summary>True once the other side has closed the connection (end of stream or reset), reading past anything it sent first.</summary>
    public async Task<bool> ClosedByOtherSideAsync()
    {
        try
        {
            while (await ReceiveAsync() > 0)
            {
                buffered = 0;
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => socket.Dispose();

    private async Task<int> ReceiveAsync()
    {
        var received = await socket.ReceiveAsync(buffer.AsMemory(buffered)).AsTask().WaitAsync(Patience);
        buffered += received;
        return received;
    }

    private void Consume(int count)
    {
        buffer.AsSpan(count, buffered - count).CopyTo(buffer);
        buffered -= count;
    }
}
