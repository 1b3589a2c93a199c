using System.Collections.Concurrent;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>
/// An <see cref="IMemberProber"/> whose answers tests script per member address, and which remembers when (on the
/// test clock) each member was probed and how it was answered. Shared by every grain of the test silo, so it is
/// thread-safe; members not scripted stay silent.
/// </summary>
public sealed class ScriptableProber(TimeProvider clock) : IMemberProber
{
    private static readonly TimeSpan AnswerRtt = TimeSpan.FromMilliseconds(1);

    private readonly ConcurrentDictionary<string, ProbeScript> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ProbeCall>> _calls = new(StringComparer.Ordinal);

    public void Script(string member, ProbeScript script) => _scripts[member] = script;

    public int CallsTo(string member) => CallsOf(member).Count;

    /// <summary>Every probe of <paramref name="member"/> so far, oldest first.</summary>
    public IReadOnlyList<ProbeCall> CallsOf(string member)
    {
        var calls = _calls.GetOrAdd(member, static _ => []);
        lock (calls)
        {
            return [.. calls];
        }
    }

    /// <summary>When <paramref name="member"/> was probed, on the test clock, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> ProbeTimes(string member) => [.. CallsOf(member).Select(call => call.At)];

    public async Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var script = _scripts.GetValueOrDefault(member, ProbeScript.Silent);
        var calls = _calls.GetOrAdd(member, static _ => []);
        lock (calls)
        {
            calls.Add(new ProbeCall(clock.GetUtcNow(), script));
        }

        switch (script.Behaviour)
        {
            case ProbeBehaviour.Answer when script.Delay <= TimeSpan.Zero:
                return new ProbeResult(true, AnswerRtt, script.StatusCode);
            case ProbeBehaviour.Answer:
                await Task.Delay(script.Delay, clock, cancellationToken);
                return new ProbeResult(true, script.Delay, script.StatusCode);
            case ProbeBehaviour.Throw:
                throw new InvalidOperationException($"Scripted probe failure for {member}.");
            default:
                await Task.Delay(timeout, clock, cancellationToken);
                return ProbeResult.NoAnswer(timeout);
        }
    }
}

/// <param name="At">When the probe was sent, on the test clock.</param>
/// <param name="Script">How it was (or will be) answered.</param>
public sealed record ProbeCall(DateTimeOffset At, ProbeScript Script);
