using System.Collections.Concurrent;
using System.Net;

namespace OrleansProxy.Routing.Location;

/// <summary>End points that failed a transaction recently, each skipped until its period has passed.</summary>
internal sealed class EndPointGreylist(TimeSpan period, TimeProvider timeProvider)
{
    // Entries are dropped when looked up after expiry; the sweep only bounds end points never looked up again.
    private const int SweepAboveCount = 1024;

    private readonly ConcurrentDictionary<IPEndPoint, DateTimeOffset> _greylistedUntil = new();

    public bool IsEnabled => period > TimeSpan.Zero;

    public void Add(IPEndPoint endPoint)
    {
        if (!IsEnabled)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        _greylistedUntil[Normalise(endPoint)] = now + period;
        if (_greylistedUntil.Count > SweepAboveCount)
        {
            Sweep(now);
        }
    }

    public bool Contains(IPEndPoint endPoint)
    {
        if (_greylistedUntil.IsEmpty)
        {
            return false;
        }

        var key = Normalise(endPoint);
        if (!_greylistedUntil.TryGetValue(key, out var until))
        {
            return false;
        }

        if (timeProvider.GetUtcNow() < until)
        {
            return true;
        }

        // Removes only the entry read: a failure reported meanwhile has re-greylisted the end point.
        _greylistedUntil.TryRemove(new KeyValuePair<IPEndPoint, DateTimeOffset>(key, until));
        return false;
    }

    // A dual-mode socket reports an IPv4 peer as ::ffff:a.b.c.d, while DNS gives a.b.c.d.
    private static IPEndPoint Normalise(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private void Sweep(DateTimeOffset now)
    {
        foreach (var entry in _greylistedUntil)
        {
            if (entry.Value <= now)
            {
                _greylistedUntil.TryRemove(entry);
            }
        }
    }
}
