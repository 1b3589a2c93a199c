using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <param name="Hop">The listener the request leaves from; names our Via and Record-Route.</param>
/// <param name="Source">Where the request came from, stamped into the sender's Via.</param>
/// <param name="RouteToPop">Index into the request's Route values of our own entry to remove, or -1.</param>
public readonly record struct ForwardingPlan(LocalHop Hop, IPEndPoint Source, bool AddRecordRoute, int RouteToPop);
