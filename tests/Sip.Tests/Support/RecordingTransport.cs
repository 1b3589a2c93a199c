using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>A transport that keeps what the proxy sends, for assertions.</summary>
internal sealed class RecordingTransport : ISipTransport
{
    public ConcurrentQueue<(string Text, IPEndPoint Destination)> Sent { get; } = new();

    public LocalHop Hop => Hops.Proxy;

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        Sent.Enqueue((SipText.Text(message.Span), destination));
        return ValueTask.FromResult(true);
    }

    public (SipMessage Message, IPEndPoint Destination) Single()
    {
        var (text, destination) = Assert.Single(Sent);
        return (SipText.Parse(text), destination);
    }
}
