using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.WarmUp;

/// <summary>
/// A listener that has no socket: what the proxy core sends on it is kept for the warm-up to answer, and nothing
/// leaves the process. Its address is from TEST-NET-1 (RFC 5737), which no real peer has.
/// </summary>
internal sealed class WarmUpTransport : ISipTransport
{
    private readonly Lock sentLock = new();
    private readonly List<(byte[] Message, IPEndPoint Destination)> sent = [];

    public static IPEndPoint Address { get; } = new(IPAddress.Parse("192.0.2.1"), 5060);

    public LocalHop Hop { get; } = new(SipTransportKind.Udp, Address);

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        // Copied: the core returns its pooled buffer once the send completes. Timers may send from other threads.
        lock (sentLock)
        {
            sent.Add((message.ToArray(), destination));
        }

        return ValueTask.FromResult(true);
    }

    /// <summary>The messages sent since the last call, oldest first.</summary>
    public List<(byte[] Message, IPEndPoint Destination)> TakeSent()
    {
        lock (sentLock)
        {
            var taken = new List<(byte[] Message, IPEndPoint Destination)>(sent);
            sent.Clear();
            return taken;
        }
    }
}
