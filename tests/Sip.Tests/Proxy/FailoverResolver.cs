using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Transactions;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>Sends everything to the primary; a failure report names the backup unless told otherwise.</summary>
internal sealed class FailoverResolver : ITargetResolver
{
    public IPEndPoint? Alternate { get; set; } = Messages.Backup;

    public ConcurrentQueue<RoutingRequest> Requests { get; } = new();

    public ConcurrentQueue<(IPEndPoint Destination, TransactionFailure Failure)> Reports { get; } = new();

    /// <summary>How many resolutions time out, as a grain call past its ResponseTimeout does, before one answers.</summary>
    public int TimeOutsBeforeAnswer { get; set; }

    public ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (TimeOutsBeforeAnswer > 0)
        {
            TimeOutsBeforeAnswer--;
            return ValueTask.FromException<RouteDecision>(new TimeoutException("grain call timed out"));
        }

        return ValueTask.FromResult(RouteDecision.Forward(Messages.Primary));
    }

    public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public ValueTask<IPEndPoint?> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken)
    {
        Reports.Enqueue((destination, failure));
        return ValueTask.FromResult(Alternate);
    }
}
