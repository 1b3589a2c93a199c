using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Sip.Tests.Support;

internal sealed class FakeResolver : ITargetResolver
{
    public RouteDecision Decision { get; set; } = RouteDecision.Forward(new IPEndPoint(IPAddress.Loopback, 5070));

    public bool Serving { get; set; } = true;

    /// <summary>When set, resolution fails with it, as a grain call that timed out or failed would.</summary>
    public Exception? Failure { get; set; }

    public ConcurrentQueue<RoutingRequest> Requests { get; } = new();

    public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Failure is null ? ValueTask.FromResult(Decision) : ValueTask.FromException<RouteDecision>(Failure);
    }

    public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Serving ? null : "Service Unavailable (no active server)");
}
