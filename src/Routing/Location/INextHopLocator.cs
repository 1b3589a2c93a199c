using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Routing.Location;

/// <summary>
/// Finds where a next hop named by host is served (RFC 3263): SRV for its transport, then A/AAAA, cached by TTL,
/// never blocking the receive path. Targets that failed recently are greylisted and skipped while another is left.
/// </summary>
internal interface INextHopLocator
{
    /// <returns>Null when the name resolves to nothing usable (every target greylisted counts as nothing).</returns>
    ValueTask<LocatedTarget?> LocateAsync(NextHop hop, CancellationToken cancellationToken);

    /// <summary>A transaction sent to <paramref name="endPoint"/> failed: skip it for the greylist period.</summary>
    void ReportFailure(IPEndPoint endPoint);
}
