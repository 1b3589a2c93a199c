using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Transactions;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// Sends everything to <see cref="Target"/> (the primary unless told otherwise). Like the Silo's resolver, it treats
/// only <see cref="Members"/> as a pair: a hint about a member would burst its probes, and a failure report about a
/// member names <see cref="Alternate"/>, while any other hop has nowhere else to go.
/// </summary>
internal sealed class FailoverResolver : ITargetResolver
{
    private readonly TaskCompletionSource firstHint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IPEndPoint Target { get; set; } = Messages.Primary;

    public IPEndPoint? Alternate { get; set; } = Messages.Backup;

    public ConcurrentDictionary<IPEndPoint, bool> Members { get; } = new() { [Messages.Primary] = true, [Messages.Backup] = true };

    public ConcurrentQueue<RoutingRequest> Requests { get; } = new();

    public ConcurrentQueue<(IPEndPoint Destination, TransactionFailure Failure)> Reports { get; } = new();

    /// <summary>Every hint, whoever the hop; the proxy core does not tell members from other hops.</summary>
    public ConcurrentQueue<(IPEndPoint Destination, TransactionFailure Hint)> Hints { get; } = new();

    /// <summary>The hints that would start a burst of probes: those about a pair member.</summary>
    public ConcurrentQueue<IPEndPoint> ProbeBursts { get; } = new();

    /// <summary>Completes with the first hint reported.</summary>
    public Task FirstHint => firstHint.Task;

    /// <summary>When set, a failure report waits for it, as the Silo's resolver waits in its hold for a serving member.</summary>
    public TaskCompletionSource? ReportGate { get; set; }

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

        return ValueTask.FromResult(RouteDecision.Forward(Target));
    }

    public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public void ReportHint(IPEndPoint destination, TransactionFailure hint)
    {
        Hints.Enqueue((destination, hint));
        if (Members.ContainsKey(destination))
        {
            ProbeBursts.Enqueue(destination);
        }

        firstHint.TrySetResult();
    }

    public async ValueTask<RouteDecision> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken)
    {
        Reports.Enqueue((destination, failure));
        if (ReportGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Members.ContainsKey(destination) && Alternate is { } alternate ? RouteDecision.Forward(alternate) : default;
    }
}
