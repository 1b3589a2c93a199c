using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.TestSupport;

/// <summary>A loopback UDP socket a test drives by hand: it plays a caller, a server or the proxy, one datagram at a time.</summary>
public sealed class ScriptedSipPeer : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    /// <param name="address">The loopback address to bind; 127.0.0.1 when null.</param>
    public ScriptedSipPeer(IPAddress? address = null)
    {
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public string HostPort => $"{EndPoint.Address}:{EndPoint.Port}";

    public Task SendAsync(byte[] datagram, IPEndPoint destination) =>
        socket.SendToAsync(datagram, SocketFlags.None, destination);

    public Task SendAsync(string datagram, IPEndPoint destination) => SendAsync(Encoding.ASCII.GetBytes(datagram), destination);

    /// <summary>The next datagram, parsed; fails the test when none comes within the time-out or it does not parse.</summary>
    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        var received = await TryReceiveAsync(timeout ?? DefaultTimeout);
        Assert.True(received is not null, "expected a datagram, none came");
        return received;
    }

    /// <summary>The next response, skipping requests; fails the test when none comes.</summary>
    public async Task<Received> ResponseAsync(int? status = null)
    {
        for (var i = 0; i < 50; i++)
        {
            var received = await ReceiveAsync();
            if (!received.Message.IsRequest && (status is null || received.Message.StatusCode == status))
            {
                return received;
            }
        }

        throw new InvalidOperationException("fifty datagrams and not the response waited for");
    }

    /// <returns>Null when nothing came within <paramref name="timeout"/>.</returns>
    public async Task<Received?> TryReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65_535];
        using var cancellation = new CancellationTokenSource(timeout);
        SocketReceiveFromResult result;
        try
        {
            result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var data = buffer.AsMemory(0, result.ReceivedBytes).ToArray();
        var message = new SipMessage();
        Assert.True(SipParser.TryParse(data, message, SipParseLimits.Default), $"unparsable datagram: {message.Error}\n{Encoding.ASCII.GetString(data)}");
        return new Received(data, message, (IPEndPoint)result.RemoteEndPoint);
    }

    /// <summary>A request as a UA sends it; the branch is made from the Call-ID and CSeq so that each request is its own transaction.</summary>
    public string Request(string method, string requestUri, string callId, int cseq = 1, string? toTag = null, string branch = "") =>
        $"{method} {requestUri} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {HostPort};branch=z9hG4bK-{callId}-{cseq}{branch}{(method == "ACK" ? "-ack" : string.Empty)}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:peer@{HostPort}>;tag=peer\r\n" +
        $"To: <{requestUri}>{(toTag is null ? string.Empty : ";tag=" + toTag)}\r\n" +
        $"Call-ID: {callId}\r\n" +
        $"CSeq: {cseq} {method}\r\n" +
        "Content-Length: 0\r\n\r\n";

    public async Task AnswerAsync(Received request, int status, string reason)
    {
        using var response = ResponseFactory.Create(request.Message, ProductName.None, status, reason);
        await socket.SendToAsync(response.Memory, SocketFlags.None, request.Source);
    }

    public void Dispose() => socket.Dispose();

    public sealed record Received(byte[] Data, SipMessage Message, IPEndPoint Source)
    {
        public string Text(TextRange range) => Encoding.ASCII.GetString(Message[range]);

        public string Method => Text(Message.MethodToken);

        public string ToTag => Text(Message.ToTag);

        public string? Header(HeaderKind kind)
        {
            foreach (var header in Message.Headers)
            {
                if (header.Kind == kind)
                {
                    return Text(header.Value);
                }
            }

            return null;
        }

        public string? Branch
        {
            get
            {
                if (Message.Vias.Count == 0)
                {
                    return null;
                }

                var top = Message[Message.Vias[0].Value];
                return Via.TryParse(top, out var via) && via.TryGetParameter(top, "branch"u8, out var branch) ? Encoding.ASCII.GetString(top[branch]) : null;
            }
        }

        public string StartLine => Encoding.ASCII.GetString(Data).Split("\r\n")[0];

        /// <summary>Every header line with this name, as written (name, colon and value).</summary>
        public IReadOnlyList<string> HeaderLines(string name) =>
            [.. Encoding.ASCII.GetString(Data, 0, Message.BodyOffset).Split("\r\n").Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))];

        public string Body => Encoding.ASCII.GetString(Data, Message.BodyOffset, Message.BodyLength);
    }
}
