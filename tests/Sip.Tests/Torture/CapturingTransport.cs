using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>Keeps the exact bytes the proxy sends, so that a torture case can compare them octet for octet.</summary>
internal sealed class CapturingTransport : ISipTransport
{
    public ConcurrentQueue<(byte[] Bytes, IPEndPoint Destination)> Sent { get; } = new();

    public LocalHop Hop => Hops.Proxy;

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        Sent.Enqueue((message.ToArray(), destination));
        return ValueTask.FromResult(true);
    }
}
