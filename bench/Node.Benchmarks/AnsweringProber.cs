using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Node.Benchmarks;

/// <summary>Every member answers at once: the pair stays healthy, so resolution measures the grain call, not probing.</summary>
internal sealed class AnsweringProber : IMemberProber
{
    private static readonly Task<ProbeResult> Answer = Task.FromResult(new ProbeResult(true, TimeSpan.FromMilliseconds(1), 200));

    public Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken) => Answer;
}
