using System.Net;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// The bounds on open connections of one <see cref="StreamTransport"/>, in both directions together and per remote IP
/// address, handshakes included. A connection takes its place before its first byte and gives it back when it closes;
/// a refusal is logged and counted by the limit it hit.
/// </summary>
internal sealed class ConnectionLimits
{
    // Refusals, as counted in orleansproxy.sip.connections.refused.
    private const string RefusedMaxConnections = "max_connections";
    private const string RefusedMaxPerPeer = "max_per_peer";

    private readonly Lock gate = new();
    private readonly Dictionary<IPAddress, int> perPeer = [];
    private readonly int maxConnections;
    private readonly int maxPerPeer;
    private readonly LocalHop hop;
    private readonly KeyValuePair<string, object?> transportTag;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;
    private int count;

    public ConnectionLimits(StreamTransportOptions options, LocalHop hop, KeyValuePair<string, object?> transportTag, ILogger logger, SipMetrics metrics)
    {
        maxConnections = options.MaxConnections;
        maxPerPeer = options.MaxConnectionsPerPeer;
        this.hop = hop;
        this.transportTag = transportTag;
        this.logger = logger;
        this.metrics = metrics;
    }

    /// <returns>False when a limit is reached: the connection must not be made or kept.</returns>
    public bool TryReserve(IPEndPoint remote, bool inbound)
    {
        string refusal;
        int limit;
        lock (gate)
        {
            perPeer.TryGetValue(remote.Address, out var fromPeer);
            if (count >= maxConnections)
            {
                refusal = RefusedMaxConnections;
                limit = maxConnections;
            }
            else if (fromPeer >= maxPerPeer)
            {
                refusal = RefusedMaxPerPeer;
                limit = maxPerPeer;
            }
            else
            {
                perPeer[remote.Address] = fromPeer + 1;
                count++;
                return true;
            }
        }

        metrics.ConnectionsRefused.Add(1, transportTag, new KeyValuePair<string, object?>("reason", refusal));
        StreamTransportLog.Refused(logger, inbound ? "from" : "to", remote, hop, refusal, limit);
        return false;
    }

    /// <summary>Gives back the place a successful <see cref="TryReserve"/> took for <paramref name="peer"/>.</summary>
    public void Release(IPAddress peer)
    {
        lock (gate)
        {
            count--;
            var fromPeer = perPeer[peer] - 1;
            if (fromPeer == 0)
            {
                perPeer.Remove(peer);
            }
            else
            {
                perPeer[peer] = fromPeer;
            }
        }
    }
}
