using System.Net;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Sip.WarmUp;

/// <summary>Sends every warm-up request to one made-up server and always serves: no grain, no pair, no hold.</summary>
internal sealed class WarmUpResolver : ITargetResolver
{
    public static IPEndPoint Server { get; } = new(IPAddress.Parse("192.0.2.20"), 5060);

    public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RouteDecision.Forward(Server));

    public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);
}
