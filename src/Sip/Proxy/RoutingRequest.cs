using System.Net;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Proxy;

/// <param name="Source">The address the request came from.</param>
/// <param name="Target">The next hop named by the request (top Route after ours is removed, else the Request-URI); null when it names this proxy.</param>
public sealed record RoutingRequest(IPEndPoint Source, SipMethod Method, bool InDialog, NextHop? Target);
