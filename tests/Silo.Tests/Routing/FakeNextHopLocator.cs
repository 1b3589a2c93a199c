using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Silo.Routing;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>Server location from a table the test fills, recording every failure the resolver reports.</summary>
internal sealed class FakeNextHopLocator : INextHopLocator
{
    private readonly ConcurrentDictionary<string, LocatedTarget> targets = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<IPEndPoint> Failures { get; } = new();

    public void Add(string host, LocatedTarget target) => targets[host] = target;

    public ValueTask<LocatedTarget?> LocateAsync(NextHop hop, CancellationToken cancellationToken) =>
        ValueTask.FromResult(targets.GetValueOrDefault(hop.Host));

    public void ReportFailure(IPEndPoint endPoint) => Failures.Enqueue(endPoint);
}
