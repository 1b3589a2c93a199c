using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Sip.Tests.Support;

internal sealed class FakeResolver : ITargetResolver
{
    public RouteDecision Decision { get; set; } = RouteDecision.Forward(new IPEndPoint(IPAddress.Loopback, 5070));

    public bool Serving { get; set; } = true;

    public ConcurrentQueue<RoutingRequest> Requests { get; } = new();

    public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return ValueTask.FromResult(Decision);
    }

    public ValueTask<bool> IsServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult(Serving);
}
