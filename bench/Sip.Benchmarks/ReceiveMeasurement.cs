using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// <c>receive [datagrams]</c>: the heap the UDP receive loop allocates per datagram, on every thread (BenchmarkDotNet
/// counts only the benchmark's own thread, and the loop runs on another). An INVITE-sized datagram goes to a
/// <see cref="UdpListener"/> whose handler only counts; the sender uses a socket address of its own and allocates nothing.
/// </summary>
internal static class ReceiveMeasurement
{
    private const int Batch = 1000;

    public static void Run(int datagrams)
    {
        using var metrics = new SipMetrics();
        var handler = new CountingHandler();
        var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        listener.Start(handler, maxPending: 64);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var to = listener.Hop.EndPoint.Serialize();
        var datagram = BenchmarkMessages.Invite;

        // Warm-up: the loop's buffers, the pool's, the endpoint cache.
        Send(sender, to, datagram, handler, 10 * Batch);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Send(sender, to, datagram, handler, datagrams);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        listener.DisposeAsync().AsTask().GetAwaiter().GetResult();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{datagrams} datagrams of {datagram.Length} bytes received: {allocated} bytes allocated on all threads, {(double)allocated / datagrams:F1} per datagram"));
    }

    private static void Send(Socket sender, SocketAddress to, byte[] datagram, CountingHandler handler, int count)
    {
        for (var sent = 0; sent < count; sent += Batch)
        {
            var batch = Math.Min(Batch, count - sent);
            handler.Expect(batch);
            for (var i = 0; i < batch; i++)
            {
                sender.SendTo(datagram, SocketFlags.None, to);
            }

            // A lost datagram (a full socket buffer) would leave the batch short: the wait bounds it, the count says so.
            if (!handler.Done.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"only {batch - handler.Remaining} of {batch} datagrams arrived"));
            }
        }
    }

    private sealed class CountingHandler : ISipMessageHandler
    {
        private int remaining;

        public ManualResetEventSlim Done { get; } = new();

        public int Remaining => Volatile.Read(ref remaining);

        public void Expect(int count)
        {
            Done.Reset();
            Volatile.Write(ref remaining, count);
        }

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                Done.Set();
            }

            return ValueTask.CompletedTask;
        }
    }
}
