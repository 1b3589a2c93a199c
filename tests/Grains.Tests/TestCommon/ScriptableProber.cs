using System.Collections.Concurrent;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>
/// An <see cref="IMemberProber"/> whose answers tests script per member address. Shared by
/// every grain of the test silo, so it is thread-safe; members not scripted stay silent.
/// </summary>
public sealed class ScriptableProber : IMemberProber
{
    private static readonly TimeSpan AnswerRtt = TimeSpan.FromMilliseconds(1);

    private readonly ConcurrentDictionary<string, ProbeScript> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public void Script(string member, ProbeScript script) => _scripts[member] = script;

    public int CallsTo(string member) => _calls.GetValueOrDefault(member);

    public async Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(member, 1, static (_, calls) => calls + 1);
        switch (_scripts.GetValueOrDefault(member, ProbeScript.Silent))
        {
            case ProbeScript.Answer:
                return new ProbeResult(true, AnswerRtt, 200);
            case ProbeScript.Throw:
                throw new InvalidOperationException($"Scripted probe failure for {member}.");
            default:
                await Task.Delay(timeout, cancellationToken);
                return ProbeResult.NoAnswer(timeout);
        }
    }
}
