using System.Collections.Concurrent;

namespace OrleansProxy.Simulation;

/// <summary>
/// The dialogs both members of a pair know, as a hot standby replicates them: a call set up on one member can be
/// ended on the other. Keyed by Call-ID, which every caller here makes unique. Bounded: past the ceiling a new
/// dialog is not remembered (its BYE will get 481), which the pair reports.
/// </summary>
internal sealed class SharedDialogStore(int capacity)
{
    private readonly ConcurrentDictionary<string, SimulatedServer> dialogs = new(StringComparer.Ordinal);
    private long refused;

    public int Count => dialogs.Count;

    public long Refused => Interlocked.Read(ref refused);

    public void Add(string callId, SimulatedServer owner)
    {
        if (dialogs.Count >= capacity && !dialogs.ContainsKey(callId))
        {
            Interlocked.Increment(ref refused);
            return;
        }

        dialogs[callId] = owner;
    }

    public bool Contains(string callId) => dialogs.ContainsKey(callId);

    /// <returns>The member that set the dialog up; null when the dialog is unknown.</returns>
    public SimulatedServer? Remove(string callId) => dialogs.TryRemove(callId, out var owner) ? owner : null;
}
