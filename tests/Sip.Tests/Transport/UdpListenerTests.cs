using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

public sealed class UdpListenerTests : IDisposable
{
    private readonly SipMetrics metrics = new();

    /// <summary>The plain receive, and recvmsg with the kernel's timestamps (a listener told to measure its queue delay).</summary>
    public static TheoryData<bool> ReceivePaths => [false, true];

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task ReceiveLoop_QueueThatStandsBehindASlowHandler_IsRecordedAsTheNodesQueueDelay()
    {
        const int Count = 15;
        var queueDelay = new ReceiveQueueDelay();
        var handler = new SlowHandler(TimeSpan.FromMilliseconds(30), Count);
        await using var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics, queueDelay: queueDelay);
        listener.Start(handler, maxPending: 4);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        for (var i = 0; i < Count; i++)
        {
            await client.SendToAsync("queued"u8.ToArray(), listener.Hop.EndPoint);
        }

        await handler.All.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Each datagram waited in the kernel's queue for the 30 ms of every one before it: the queue stood.
        Assert.InRange(queueDelay.Current, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ReceiveLoop_DatagramReadAsItArrives_RecordsAShortWait()
    {
        var queueDelay = new ReceiveQueueDelay();
        queueDelay.Record(TimeSpan.FromSeconds(5));
        var handler = new RecordingHandler(expected: 1);
        await using var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics, queueDelay: queueDelay);
        listener.Start(handler, maxPending: 2);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await client.SendToAsync("prompt"u8.ToArray(), listener.Hop.EndPoint);
        await handler.All.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.InRange(queueDelay.Current, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [MemberData(nameof(ReceivePaths))]
    public async Task ReceiveLoop_HandlerThrowsOnOneDatagram_KeepsServingTheNext(bool timestamped)
    {
        var handler = new ThrowingOnceHandler();
        await using var listener = Bind(timestamped);
        listener.Start(handler, maxPending: 2);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await client.SendToAsync("boom"u8.ToArray(), listener.Hop.EndPoint);
        await client.SendToAsync("fine"u8.ToArray(), listener.Hop.EndPoint);

        Assert.Equal("fine", await handler.Handled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(ReceivePaths))]
    public async Task ReceiveLoop_MessagesHandledAtOnce_KeepTheirArrivalOrder(bool timestamped)
    {
        const int Count = 200;
        var handler = new RecordingHandler(Count);
        await using var listener = Bind(timestamped);
        listener.Start(handler, maxPending: 8);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        for (var i = 0; i < Count; i++)
        {
            await client.SendToAsync(System.Text.Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), listener.Hop.EndPoint);
        }

        var seen = await handler.All.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), seen);
    }

    [Theory]
    [MemberData(nameof(ReceivePaths))]
    public async Task ReceiveLoop_SlowAsynchronousMessage_DoesNotHoldUpTheNext(bool timestamped)
    {
        var handler = new SlowFirstHandler();
        await using var listener = Bind(timestamped);
        listener.Start(handler, maxPending: 4);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await client.SendToAsync("slow"u8.ToArray(), listener.Hop.EndPoint);
        await client.SendToAsync("fast"u8.ToArray(), listener.Hop.EndPoint);

        Assert.Equal("fast", await handler.Fast.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(handler.Release.Task.IsCompleted);
        handler.Release.SetResult();
        Assert.Equal("slow", await handler.Slow.Task.WaitAsync(TimeSpan.FromSeconds(10)));
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

    [Theory]
    [MemberData(nameof(ReceivePaths))]
    public async Task ReceiveLoop_TwoSenders_EachDatagramNamesItsOwnSourceAndOneSenderKeepsOneEndPoint(bool timestamped)
    {
        var handler = new SourceRecordingHandler(expected: 4);
        await using var listener = Bind(timestamped);
        listener.Start(handler, maxPending: 8);
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        second.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // §18.2.1: the source of each request is where its response goes (received, rport), so it must be exact.
        foreach (var (socket, text) in new[] { (first, "a1"), (second, "b1"), (first, "a2"), (second, "b2") })
        {
            await socket.SendToAsync(System.Text.Encoding.ASCII.GetBytes(text), listener.Hop.EndPoint);
        }

        var sources = await handler.All.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(first.LocalEndPoint, sources["a1"]);
        Assert.Equal(second.LocalEndPoint, sources["b1"]);
        Assert.Same(sources["a1"], sources["a2"]);
        Assert.Same(sources["b1"], sources["b2"]);
    }

    [Fact]
    public async Task ReceiveLoop_RunsOnAThreadOfItsOwn_NotOnTheThreadPool()
    {
        var handler = new ThreadRecordingHandler();
        await using var listener = UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics);
        listener.Start(handler, maxPending: 2);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await client.SendToAsync("which thread"u8.ToArray(), listener.Hop.EndPoint);

        // The kernel wakes the loop itself: a pool thread would mean a hand-off from the socket thread per datagram.
        Assert.False(await handler.OnThreadPool.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(ReceivePaths))]
    public async Task DisposeAsync_WhileTheLoopWaitsForADatagram_EndsTheLoop(bool timestamped)
    {
        var listener = Bind(timestamped);
        listener.Start(new RecordingHandler(expected: 1), maxPending: 2);

        await listener.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Bind_PortInUse_FailsAtOnce()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Throws<SocketException>(() => UdpListener.Bind((IPEndPoint)taken.LocalEndPoint!, NullLogger.Instance, metrics));
    }

    private UdpListener Bind(bool timestamped) =>
        UdpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, metrics, queueDelay: timestamped ? new ReceiveQueueDelay() : null);

    /// <summary>Holds the loop itself in every message (a handler that completes synchronously).</summary>
    private sealed class SlowHandler(TimeSpan each, int expected) : ISipMessageHandler
    {
        private int handled;

        public TaskCompletionSource All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            Thread.Sleep(each);
            if (++handled == expected)
            {
                All.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingHandler(int expected) : ISipMessageHandler
    {
        private readonly List<string> seen = [];

        public TaskCompletionSource<List<string>> All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            seen.Add(SipText.Text(data.Span));
            if (seen.Count == expected)
            {
                All.TrySetResult(seen);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThreadRecordingHandler : ISipMessageHandler
    {
        public TaskCompletionSource<bool> OnThreadPool { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            OnThreadPool.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SourceRecordingHandler(int expected) : ISipMessageHandler
    {
        private readonly Dictionary<string, IPEndPoint> sources = [];

        public TaskCompletionSource<Dictionary<string, IPEndPoint>> All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            var text = SipText.Text(data.Span);
            lock (sources)
            {
                sources[text] = source;
                if (sources.Count == expected)
                {
                    All.TrySetResult(sources);
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class SlowFirstHandler : ISipMessageHandler
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Slow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Fast { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            var text = SipText.Text(data.Span);
            if (text == "fast")
            {
                Fast.TrySetResult(text);
                return;
            }

            await Release.Task;

            // The buffer must still hold this message after the wait: the loop gave it a buffer of its own.
            Slow.TrySetResult(SipText.Text(data.Span));
        }
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
