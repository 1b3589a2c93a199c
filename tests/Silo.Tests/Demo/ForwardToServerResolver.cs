using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Tests.Demo;

/// <summary>Sends requests addressed to the proxy to one server, and every other request where it names.</summary>
internal sealed class ForwardToServerResolver(IPEndPoint server) : ITargetResolver
{
    public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Target?.Address is { } address
            ? RouteDecision.Forward(new IPEndPoint(address, request.Target.Port))
            : RouteDecision.Forward(server));

    public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
