using System.Net;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>How a validated request arrived and what Route processing found, for the forwarding step.</summary>
/// <param name="OwnRoutes">Leading Route values that name this proxy, removed when forwarding.</param>
/// <param name="NextHopHeader">Index of the next-hop header, removed when forwarding; -1 when absent.</param>
/// <param name="Rewrite">The Request-URI and Route edits of strict routing and maddr (§16.4, §16.6 step 6).</param>
/// <param name="Flow">The flow a Route of ours named by its token (RFC 5626 §5.3), which the request leaves over when the resolver sends it there.</param>
internal readonly record struct RequestRoute(IPEndPoint Source, ISipTransport Inbound, int OwnRoutes, int NextHopHeader, RouteRewrite Rewrite, Flow? Flow = null);
