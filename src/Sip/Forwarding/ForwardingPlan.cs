using System.Net;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <param name="Hop">The listener the request leaves from; names our Via.</param>
/// <param name="Source">Where the request came from, stamped into the sender's Via.</param>
/// <param name="RecordRoute">Record-Route header lines to add (empty for none).</param>
/// <param name="OwnRoutes">How many leading Route values name this proxy and are removed (§16.4).</param>
/// <param name="RemovedHeader">Index of a header never forwarded (the next-hop header), or -1.</param>
/// <param name="ArrivedOnStream">The request came over TCP or TLS: the sender's Via gets received and rport, so a
/// response finds the connection the request came on (§18.2.2).</param>
/// <param name="LoopHash">The loop hash our stateless branch carries; null for the request's own
/// (<see cref="BranchGenerator.LoopHash"/>). A CANCEL or non-2xx ACK takes its INVITE's, so its branch is the INVITE's.</param>
/// <param name="Rewrite">The Request-URI and Route edits of strict routing and maddr (§16.4, §16.6 step 6); empty for none.</param>
public readonly record struct ForwardingPlan(
    LocalHop Hop,
    IPEndPoint Source,
    ReadOnlyMemory<byte> RecordRoute,
    int OwnRoutes,
    int RemovedHeader = -1,
    bool ArrivedOnStream = false,
    ulong? LoopHash = null,
    RouteRewrite Rewrite = default)
{
    /// <summary>Path or Record-Route lines that carry a flow token, written per request (RFC 5626); none by default.</summary>
    internal FlowHeaders FlowHeaders { get; init; }
}
