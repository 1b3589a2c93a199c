using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.InteropServices;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Where the stateless proxy sent each recent INVITE, so that its CANCEL and the ACK of its non-2xx final response go
/// to the same next hop (RFC 3261 §16.11) even when the resolver would now choose another. The message cannot say where
/// its INVITE went: that choice followed the pair's state at the time, and a switchover between the INVITE and its
/// CANCEL would send the CANCEL to a member that never saw the call while the other one rings on. Nor can an ACK say
/// which branch its INVITE got: it carries the response's To tag, which our loop hash covers. So the proxy keeps this
/// much state: keyed by the INVITE's server transaction, which its CANCEL and non-2xx ACK name too; for as long as
/// the INVITE may ring and its final response be retransmitted; bounded in count, the oldest forgotten first and
/// counted. A CANCEL or ACK whose INVITE is not remembered (forgotten, or seen by another instance of the pool) is
/// routed as any request is.
/// </summary>
internal sealed class ForwardedInvites
{
    private readonly Lock gate = new();
    private readonly Dictionary<TransactionKey, (RouteDecision Hop, ulong LoopHash)> hops = [];
    private readonly Queue<(TransactionKey Key, long Expires)> arrivals = new();
    private readonly int capacity;
    private readonly long lifetime;
    private readonly TimeProvider time;
    private readonly Counter<long> forgotten;

    public ForwardedInvites(int capacity, TimeSpan lifetime, TimeProvider time, Counter<long> forgotten)
    {
        this.capacity = capacity;
        this.lifetime = (long)(lifetime.TotalSeconds * time.TimestampFrequency);
        this.time = time;
        this.forgotten = forgotten;
    }

    /// <summary>
    /// A retransmitted INVITE that the resolver sent elsewhere (its first hop never answered) moves the entry there,
    /// so the CANCEL reaches the hop that has the call; it keeps its first expiry.
    /// </summary>
    public void Remember(SipMessage invite, IPEndPoint destination, SipTransportKind transport, ulong loopHash)
    {
        if (!TransactionKey.TryForServer(invite, out var key))
        {
            return;
        }

        var now = time.GetTimestamp();
        var evicted = false;
        lock (gate)
        {
            ForgetExpired(now);
            ref var hop = ref CollectionsMarshal.GetValueRefOrAddDefault(hops, key, out var known);
            hop = (RouteDecision.Forward(destination, transport), loopHash);
            if (!known)
            {
                arrivals.Enqueue((key, now + lifetime));
                if (hops.Count > capacity)
                {
                    hops.Remove(arrivals.Dequeue().Key);
                    evicted = true;
                }
            }
        }

        if (evicted)
        {
            forgotten.Add(1);
        }
    }

    /// <summary>The hop the INVITE that <paramref name="request"/> (a CANCEL or an ACK) belongs to went to, and the loop hash of its branch.</summary>
    public bool TryRecall(SipMessage request, out RouteDecision decision, out ulong loopHash)
    {
        decision = default;
        loopHash = 0;
        var found = request.Method == SipMethod.Cancel
            ? TransactionKey.TryForCancelledInvite(request, out var key)
            : TransactionKey.TryForServer(request, out key);
        if (!found)
        {
            return false;
        }

        var now = time.GetTimestamp();
        lock (gate)
        {
            ForgetExpired(now);
            if (!hops.TryGetValue(key, out var invite))
            {
                return false;
            }

            (decision, loopHash) = invite;
            return true;
        }
    }

    /// <summary>Call under the gate. Entries expire in the order they came, so only the head needs looking at.</summary>
    private void ForgetExpired(long now)
    {
        while (arrivals.TryPeek(out var oldest) && oldest.Expires <= now)
        {
            arrivals.Dequeue();
            hops.Remove(oldest.Key);
        }
    }
}
