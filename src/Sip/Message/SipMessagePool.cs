using System.Collections.Concurrent;

namespace OrleansProxy.Sip.Message;

/// <summary>Reuses message views (and their header lists) across datagrams; holds at most a bounded number idle.</summary>
public sealed class SipMessagePool(int maxIdle = 256)
{
    private readonly ConcurrentQueue<SipMessage> idle = new();

    public SipMessage Rent() => idle.TryDequeue(out var message) ? message : new SipMessage();

    public void Return(SipMessage message)
    {
        message.Reset(ReadOnlyMemory<byte>.Empty);
        if (idle.Count < maxIdle)
        {
            idle.Enqueue(message);
        }
    }
}
