using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// The raw socket address of each recent destination, so that a send to a pair member, a phone or a server answers
/// serialises its <see cref="IPEndPoint"/> once, not once per datagram. Bounded: once full it starts over, so sends to
/// ever-new destinations cost what they would without it. Safe for the many threads that send on one socket; the
/// addresses it hands out are only read.
/// </summary>
internal sealed class DestinationAddressCache(int capacity = DestinationAddressCache.DefaultCapacity)
{
    /// <summary>Far more peers than a proxy in front of its server pairs talks to at once.</summary>
    public const int DefaultCapacity = 4096;

    private readonly ConcurrentDictionary<IPEndPoint, SocketAddress> addresses = new();

    public SocketAddress Get(IPEndPoint destination)
    {
        if (addresses.TryGetValue(destination, out var known))
        {
            return known;
        }

        if (addresses.Count >= capacity)
        {
            addresses.Clear();
        }

        var address = destination.Serialize();
        addresses.TryAdd(destination, address);
        return address;
    }
}
