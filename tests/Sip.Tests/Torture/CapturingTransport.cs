using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>A listener that keeps what the proxy sends on it; several may share one queue to see sends across listeners.</summary>
internal sealed class CapturingTransport(LocalHop hop, ConcurrentQueue<(byte[] Bytes, IPEndPoint Destination)> sent) : ISipTransport
{
    public CapturingTransport()
        : this(Hops.Proxy, new ConcurrentQueue<(byte[] Bytes, IPEndPoint Destination)>())
    {
    }

    public ConcurrentQueue<(byte[] Bytes, IPEndPoint Destination)> Sent { get; } = sent;

    public LocalHop Hop { get; } = hop;

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        Sent.Enqueue((message.ToArray(), destination));
        return ValueTask.FromResult(true);
    }
}
