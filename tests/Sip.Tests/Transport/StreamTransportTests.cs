using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

public sealed class StreamTransportTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;

    public StreamTransportTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task Request_AnsweredByTheHandler_GoesBackOverTheSameConnection()
    {
        var handler = new ChannelHandler(answerRequestsWith: 200);
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("same-connection"));

        var request = await handler.NextAsync();
        Assert.Equal(client.LocalEndPoint, request.Source);
        var response = await client.ReadMessageAsync();
        Assert.StartsWith("SIP/2.0 200 Answered\n", response, StringComparison.Ordinal);
        Assert.Contains("Call-ID: same-connection\n", response, StringComparison.Ordinal);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task PeerClosesItsConnection_ConnectionLostNamesThePeer()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler);
        var lost = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ConnectionLost += (transport, remote) => lost.TrySetResult(remote);
        IPEndPoint peer;
        using (var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint))
        {
            peer = client.LocalEndPoint;
            await client.SendAsync(StreamMessages.Options("then-gone"));
            await handler.NextAsync();
        }

        Assert.Equal(peer, await lost.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SendAsync_NoConnectionYet_OpensOneAndTheAnswerArrivesThroughTheHandler()
    {
        var answers = new ChannelHandler();
        await using var client = Listen(answers);
        await using var server = Listen(new ChannelHandler(answerRequestsWith: 486));

        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("outbound")), server.Hop.EndPoint, CancellationToken.None));

        var answer = await answers.NextAsync();
        Assert.StartsWith("SIP/2.0 486 Answered\n", answer.Text, StringComparison.Ordinal);
        Assert.Equal(server.Hop.EndPoint, answer.Source);
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.opened", "direction", "outbound"));
    }

    [Fact]
    public async Task Request_NoConnectionToItsDestination_IsNotSentElsewhere()
    {
        using var closed = ListeningSocket(IPAddress.Loopback);
        var nobody = (IPEndPoint)closed.LocalEndPoint!;
        closed.Close();
        await using var client = Listen(new ChannelHandler());

        Assert.False(await client.SendAsync(SipText.Wire(StreamMessages.Options("nowhere")), nobody, CancellationToken.None));
    }

    [Fact]
    public async Task SendAsync_ConcurrentSendsToANewDestination_OpenOneConnection()
    {
        const int Sends = 10;
        using var listening = ListeningSocket(IPAddress.Loopback);
        await using var client = StreamTransport.CreateClient(SipTransportKind.Tcp, IPAddress.Loopback, new StreamTransportOptions(), NullLogger.Instance, metrics);
        client.Start(new ChannelHandler(), maxPending: 4);
        var destination = (IPEndPoint)listening.LocalEndPoint!;

        var sends = Enumerable.Range(0, Sends).Select(i => client.SendAsync(SipText.Wire(StreamMessages.Options($"concurrent{i}")), destination, CancellationToken.None).AsTask()).ToList();
        using var accepted = await StreamPeer.AcceptAsync(listening);

        Assert.All(await Task.WhenAll(sends), Assert.True);
        for (var i = 0; i < Sends; i++)
        {
            Assert.Contains("Call-ID: concurrent", await accepted.ReadMessageAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.opened", "direction", "outbound"));
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedByThePeer_NextSendReconnects()
    {
        using var listening = ListeningSocket(IPAddress.Loopback);
        await using var client = StreamTransport.CreateClient(SipTransportKind.Tcp, IPAddress.Loopback, new StreamTransportOptions(), NullLogger.Instance, metrics);
        client.Start(new ChannelHandler(), maxPending: 4);
        var destination = (IPEndPoint)listening.LocalEndPoint!;

        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("first")), destination, CancellationToken.None));
        using (var first = await StreamPeer.AcceptAsync(listening))
        {
            Assert.Contains("Call-ID: first\n", await first.ReadMessageAsync(), StringComparison.Ordinal);
        }

        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "peer_closed");
        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("second")), destination, CancellationToken.None));
        using var second = await StreamPeer.AcceptAsync(listening);
        Assert.Contains("Call-ID: second\n", await second.ReadMessageAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NothingListening_ReturnsFalse()
    {
        int closedPort;
        using (var probe = ListeningSocket(IPAddress.Loopback))
        {
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var client = StreamTransport.CreateClient(SipTransportKind.Tcp, IPAddress.Loopback, new StreamTransportOptions(), NullLogger.Instance, metrics);
        client.Start(new ChannelHandler(), maxPending: 4);

        Assert.False(await client.SendAsync(SipText.Wire(StreamMessages.Options("nowhere")), new IPEndPoint(IPAddress.Loopback, closedPort), CancellationToken.None));
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.messages.dropped", "reason", "send_failed"));
    }

    [Fact]
    public async Task KeepAlive_DoubleCrlfPing_IsAnsweredWithOneCrlfPong()
    {
        await using var server = Listen(new ChannelHandler());
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync("\r\n"u8.ToArray());
        await client.SendAsync("\r\n"u8.ToArray());

        Assert.Equal("\r\n"u8.ToArray(), await client.ReadBytesAsync(2));
    }

    [Fact]
    public async Task KeepAlive_LoneCrlf_IsIgnored()
    {
        var handler = new ChannelHandler(answerRequestsWith: 200);
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync([.. "\r\n"u8, .. SipText.Wire(StreamMessages.Options("after-crlf"))]);

        Assert.Contains("Call-ID: after-crlf\n", (await handler.NextAsync()).Text, StringComparison.Ordinal);

        // A pong would come first: the answer is the first thing on the wire.
        Assert.Equal("SIP/2.0 "u8.ToArray(), await client.ReadBytesAsync(8));
    }

    [Fact]
    public async Task Receive_LargeMessageInSeveralReads_IsHandedOverWhole()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        var body = string.Concat(Enumerable.Range(0, 100).Select(i => $"a=line-{i:D3}-0123456789abcdef\n"));
        var wire = SipText.Wire(StreamMessages.Options("large", body));
        Assert.True(wire.Length > 3000);

        for (var offset = 0; offset < wire.Length; offset += 500)
        {
            await client.SendAsync(wire[offset..Math.Min(offset + 500, wire.Length)]);
            await Task.Yield();
        }

        Assert.Equal(SipText.Text(wire), (await handler.NextAsync()).Text);
    }

    [Fact]
    public async Task Receive_HalfAMessageThenClose_IsDroppedAndOtherConnectionsGoOn()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler);
        var wire = SipText.Wire(StreamMessages.Options("half"));
        using (var broken = await StreamPeer.ConnectAsync(server.Hop.EndPoint))
        {
            await broken.SendAsync(wire[..(wire.Length / 2)]);
        }

        await recorded.WaitForAsync("orleansproxy.sip.messages.dropped", "reason", "truncated");
        using var healthy = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await healthy.SendAsync(StreamMessages.Options("whole"));

        Assert.Contains("Call-ID: whole\n", (await handler.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(0, handler.Waiting);
    }

    [Fact]
    public async Task Receive_NoContentLength_IsReportedToTheHandlerAndClosesThatConnectionOnly()
    {
        var handler = new FaultRecordingHandler();
        await using var server = Listen(handler);
        using var other = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        var withoutLength = StreamMessages.Options("no-length").Replace("Content-Length: 0\n", string.Empty, StringComparison.Ordinal);

        await client.SendAsync(withoutLength);

        var fault = await handler.Faults.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SipParseError.ContentLengthMissing, fault.Fault);
        Assert.Equal(client.LocalEndPoint, fault.Source);
        Assert.Contains("Call-ID: no-length\n", fault.Head, StringComparison.Ordinal);
        Assert.True(await client.ClosedByOtherSideAsync());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.closed", "reason", "malformed"));
        await other.SendAsync(StreamMessages.Options("still-served"));
        Assert.Contains("Call-ID: still-served\n", (await handler.Messages.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_UnframeableWithAnAnswerSentMeanwhile_TheAnswerLeavesBeforeTheConnectionCloses()
    {
        var handler = new FaultRecordingHandler { Answer = "SIP/2.0 400 Told\r\nContent-Length: 0\r\n\r\n"u8.ToArray() };
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("bad-length").Replace("Content-Length: 0\n", "Content-Length: none\n", StringComparison.Ordinal));

        Assert.StartsWith("SIP/2.0 400 Told\n", await client.ReadMessageAsync(), StringComparison.Ordinal);
        Assert.True(await client.ClosedByOtherSideAsync());
        Assert.Equal(SipParseError.ContentLengthNotNumber, (await handler.Faults.Task).Fault);
    }

    [Fact]
    public async Task Receive_ManyMessagesInOneWrite_AreHandedOverInOrder()
    {
        const int Count = 50;
        var handler = new ChannelHandler();
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync(Enumerable.Range(0, Count).SelectMany(i => SipText.Wire(StreamMessages.Options($"order{i}"))).ToArray());

        for (var i = 0; i < Count; i++)
        {
            Assert.Contains($"Call-ID: order{i}\n", (await handler.NextAsync()).Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Receive_HandlerThrowsOnOneMessage_TheConnectionKeepsServing()
    {
        var handler = new FailingOnceHandler();
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("boom"));
        await client.SendAsync(StreamMessages.Options("fine"));

        Assert.Contains("Call-ID: fine\n", await handler.Handled.Task.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.messages.dropped", "reason", "handler_failed"));
    }

    [Fact]
    public async Task Receive_UnframeableForAHandlerNotToldOfFaults_ClosesWithoutAnAnswer()
    {
        var handler = new ChannelHandler();
        await using var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync("\u0001\u0002 not SIP at all\r\n\r\n"u8.ToArray());

        Assert.True(await client.ClosedByOtherSideAsync());
        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "malformed");
        Assert.Equal(0, handler.Waiting);
    }

    [Fact]
    public async Task Receive_OverMaxMessageBytes_IsReportedTooLargeWithAtMostThatManyBytesAndCloses()
    {
        var handler = new FaultRecordingHandler();
        await using var server = Listen(handler, new StreamTransportOptions { MaxMessageBytes = 1_000 });
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("too-large", new string('x', 2_000)));

        var fault = await handler.Faults.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SipParseError.MessageTooLarge, fault.Fault);
        Assert.True(fault.Head.Length <= 1_000);
        Assert.True(await client.ClosedByOtherSideAsync());
    }

    [Fact]
    public async Task IdleConnection_IsClosedOnceTheIdleTimeoutPassesOnTheTransportsClock()
    {
        var time = new FakeTimeProvider();
        var handler = new ChannelHandler();
        await using var server = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions { IdleTimeout = TimeSpan.FromMinutes(1) }, NullLogger.Instance, metrics, time: time);
        server.Start(handler, maxPending: 4);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await client.SendAsync(StreamMessages.Options("then-silence"));
        await handler.NextAsync();

        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, server.ConnectionCount);
        time.Advance(TimeSpan.FromSeconds(20));

        Assert.True(await client.ClosedByOtherSideAsync());
        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "idle");
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task DisposeAsync_ClosesEveryConnection()
    {
        var handler = new ChannelHandler();
        var server = Listen(handler);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);
        await client.SendAsync(StreamMessages.Options("before-stop"));
        await handler.NextAsync();

        await server.DisposeAsync();

        Assert.True(await client.ClosedByOtherSideAsync());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.closed", "reason", "stopping"));
        Assert.Equal(0, recorded.Sum("orleansproxy.sip.connections.open", "transport", "tcp"));
    }

    [SkippableFact]
    public async Task Ipv6_RequestAndAnswer_OverLoopback()
    {
        Skip.IfNot(Socket.OSSupportsIPv6 && CanBind(IPAddress.IPv6Loopback), "::1 cannot be bound here");
        var handler = new ChannelHandler(answerRequestsWith: 200);
        await using var server = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.IPv6Loopback, 0), new StreamTransportOptions(), NullLogger.Instance, metrics);
        server.Start(handler, maxPending: 4);
        using var client = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        await client.SendAsync(StreamMessages.Options("ipv6"));

        Assert.Equal(client.LocalEndPoint, (await handler.NextAsync()).Source);
        Assert.StartsWith("SIP/2.0 200 Answered\n", await client.ReadMessageAsync(), StringComparison.Ordinal);
        Assert.Equal("tcp://[::1]:" + server.Hop.EndPoint.Port, server.Hop.ToString());
    }

    [Fact]
    public void Bind_PortInUse_FailsAtOnce()
    {
        using var taken = ListeningSocket(IPAddress.Loopback);

        Assert.Throws<SocketException>(() => StreamTransport.Bind(SipTransportKind.Tcp, (IPEndPoint)taken.LocalEndPoint!, new StreamTransportOptions(), NullLogger.Instance, metrics));
    }

    internal static Socket ListeningSocket(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(16);
        return socket;
    }

    internal static bool CanBind(IPAddress address)
    {
        try
        {
            using var socket = ListeningSocket(address);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private StreamTransport Listen(ISipMessageHandler handler, StreamTransportOptions? options = null)
    {
        var transport = StreamTransport.Bind(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0), options ?? new StreamTransportOptions(), NullLogger.Instance, metrics);
        transport.Start(handler, maxPending: 4);
        return transport;
    }

    private sealed class FailingOnceHandler : ISipMessageHandler
    {
        public TaskCompletionSource<string> Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            var text = SipText.Text(data.Span);
            if (text.Contains("Call-ID: boom\n", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("handler failure on purpose");
            }

            Handled.TrySetResult(text);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Keeps the messages it is handed, and the first framing fault it is told of; sends <see cref="Answer"/> back when set.</summary>
    private sealed class FaultRecordingHandler : ISipMessageHandler, IFramingFaultHandler
    {
        public ChannelHandler Messages { get; } = new();

        public TaskCompletionSource<(SipParseError Fault, IPEndPoint Source, string Head)> Faults { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[]? Answer { get; init; }

        public ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken) =>
            Messages.HandleAsync(data, source, transport, cancellationToken);

        public async ValueTask OnFramingFaultAsync(ReadOnlyMemory<byte> head, SipParseError fault, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
        {
            if (Answer is not null)
            {
                await transport.SendAsync(Answer, source, cancellationToken);
            }

            Faults.TrySetResult((fault, source, SipText.Text(head.Span)));
        }
    }
}
