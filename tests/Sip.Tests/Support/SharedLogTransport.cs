using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>One of several listeners of a test proxy; all write to one log, so a test sees which listener sent what.</summary>
internal sealed class SharedLogTransport(LocalHop hop, ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> log) : ISipTransport
{
    public LocalHop Hop { get; } = hop;

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        log.Enqueue((SipText.Text(message.Span), destination, Hop));
        return ValueTask.FromResult(true);
    }
}
