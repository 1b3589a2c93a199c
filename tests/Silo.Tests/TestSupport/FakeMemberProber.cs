using System.Collections.Concurrent;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>Every member answers 200 in 1 ms, except those made silent. Shared by the whole silo, hence thread-safe.</summary>
internal sealed class FakeMemberProber : IMemberProber
{
    private readonly ConcurrentDictionary<string, bool> _silent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.Ordinal);

    public void Silence(string member) => _silent[member] = true;

    public int ProbeCount(string member) => _probes.GetValueOrDefault(member);

    public Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _probes.AddOrUpdate(member, 1, (_, count) => count + 1);
        return Task.FromResult(_silent.ContainsKey(member)
            ? ProbeResult.NoAnswer(timeout)
            : new ProbeResult(true, TimeSpan.FromMilliseconds(1), 200));
    }
}
