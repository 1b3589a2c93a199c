using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Silo.Tests.Demo;

/// <summary>A loopback UDP socket a test drives by hand: it plays the far end, one datagram at a time.</summary>
internal sealed class ScriptedSipPeer : IDisposable
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

    public void Dispose() => socket.Dispose();

    internal sealed record Received(byte[] Data, SipMessage Message, IPEndPoint Source)
    {
        public string Text(TextRange range) => Encoding.ASCII.GetString(Message[range]);

        public string Method => Text(Message.MethodToken);

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
