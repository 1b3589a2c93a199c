using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace OrleansProxy.TestSupport;

/// <summary>A HEP collector on a loopback UDP port that keeps every datagram it gets, to be awaited in order.</summary>
public sealed class HepCollector : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Channel<byte[]> datagrams = Channel.CreateUnbounded<byte[]>();
    private readonly Task loop;

    public HepCollector()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        loop = Task.Run(ReceiveAsync);
    }

    public IPEndPoint EndPoint { get; }

    public async Task<byte[]> NextAsync() => await datagrams.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public async Task<List<byte[]>> TakeAsync(int count)
    {
        var taken = new List<byte[]>(count);
        while (taken.Count < count)
        {
            taken.Add(await NextAsync());
        }

        return taken;
    }

    /// <summary>Every datagram that has arrived and not been taken yet, without waiting for more.</summary>
    public List<byte[]> TakeArrived()
    {
        var taken = new List<byte[]>();
        while (datagrams.Reader.TryRead(out var datagram))
        {
            taken.Add(datagram);
        }

        return taken;
    }

    /// <summary>True when nothing more arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan quiet)
    {
        using var wait = new CancellationTokenSource(quiet);
        try
        {
            await datagrams.Reader.WaitToReadAsync(wait.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        loop.Wait(Patience);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65_535];
        while (true)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                datagrams.Writer.TryComplete();
                return;
            }

            datagrams.Writer.TryWrite(buffer.AsSpan(0, length).ToArray());
        }
    }
}
