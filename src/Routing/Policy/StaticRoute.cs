using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Routing.Policy;

/// <summary>One validated "Proxy:Routing:StaticRoutes:N": a server's request for <see cref="Domain"/> goes to <see cref="Target"/>, never to DNS.</summary>
/// <param name="Domain">Lower case; matched exactly against the next hop's host.</param>
/// <param name="Target">An address is sent to as it is; a host name is located (RFC 3263) instead of <see cref="Domain"/>.</param>
internal sealed record StaticRoute(string Domain, NextHop Target, string Key);
