using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>
/// Routes as the host does for a server: to the next hop the request names when that is an address (a flow, a contact,
/// a Route), else to <paramref name="registrar"/>, where a user agent's REGISTER and calls go.
/// </summary>
internal sealed class NamedTargetResolver(IPEndPoint registrar) : ITargetResolver
{
    public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Target is { Address: { } address } target
            ? RouteDecision.Forward(new IPEndPoint(address, target.Port), target.Transport ?? SipTransportKind.Udp)
            : RouteDecision.Forward(registrar));

    public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
