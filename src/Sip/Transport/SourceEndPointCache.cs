using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// The <see cref="IPEndPoint"/> of each recent datagram source, by its raw socket address: a receive loop reads the
/// sender into one reused <see cref="SocketAddress"/> and gets the same endpoint object for every datagram from that
/// sender, so a phone, a server or a pair member costs one endpoint, not one per datagram. Bounded: once full it starts
/// over, so a flood from ever-new sources costs what it did before, one endpoint each, and no more memory. One per
/// receive loop; not thread-safe.
/// </summary>
internal sealed class SourceEndPointCache(int capacity = SourceEndPointCache.DefaultCapacity)
{
    /// <summary>Far more peers than a proxy in front of its server pairs talks to at once.</summary>
    public const int DefaultCapacity = 4096;

    private static readonly IPEndPoint AnyV4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint AnyV6 = new(IPAddress.IPv6Any, 0);

    private readonly Dictionary<SocketAddress, IPEndPoint> endPoints = new(capacity);

    /// <param name="received">Filled by the last receive; read, not kept.</param>
    public IPEndPoint Get(SocketAddress received)
    {
        if (endPoints.TryGetValue(received, out var known))
        {
            return known;
        }

        if (endPoints.Count >= capacity)
        {
            endPoints.Clear();
        }

        var key = new SocketAddress(received.Family, received.Size);
        received.Buffer.Span[..received.Size].CopyTo(key.Buffer.Span);
        var endPoint = (IPEndPoint)(received.Family == AddressFamily.InterNetworkV6 ? AnyV6 : AnyV4).Create(key);
        endPoints.Add(key, endPoint);
        return endPoint;
    }
}
