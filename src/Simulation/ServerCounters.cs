using System.Collections.Concurrent;

namespace OrleansProxy.Simulation;

/// <summary>One member's running counts, updated from the receive loop and timers at once; read as a <see cref="SimulatedServerCounts"/>.</summary>
internal sealed class ServerCounters
{
    // Method tokens come from the network: past this many distinct ones the rest are counted together.
    private const int MaxMethods = 64;
    private const string OtherMethods = "(other)";

    private readonly ConcurrentDictionary<string, long> whileActive = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> whileStandby = new(StringComparer.Ordinal);
    private long invitesReceived;
    private long invitesAnswered;
    private long invitesCancelled;
    private long invitesRefused;
    private long acksReceived;
    private long byesAnswered;
    private long byesForOtherMembersDialogs;
    private long unknownDialog481;
    private long optionsAnswered;
    private long malformed;

    public void Request(string method, bool active)
    {
        var counts = active ? whileActive : whileStandby;
        var key = counts.Count < MaxMethods || counts.ContainsKey(method) ? method : OtherMethods;
        counts.AddOrUpdate(key, 1, static (_, count) => count + 1);
    }

    public void InviteReceived() => Interlocked.Increment(ref invitesReceived);

    public void InviteAnswered() => Interlocked.Increment(ref invitesAnswered);

    public void InviteCancelled() => Interlocked.Increment(ref invitesCancelled);

    public void InviteRefused() => Interlocked.Increment(ref invitesRefused);

    public void AckReceived() => Interlocked.Increment(ref acksReceived);

    public void ByeAnswered(bool otherMembersDialog)
    {
        Interlocked.Increment(ref byesAnswered);
        if (otherMembersDialog)
        {
            Interlocked.Increment(ref byesForOtherMembersDialogs);
        }
    }

    public void UnknownDialog() => Interlocked.Increment(ref unknownDialog481);

    public void OptionsAnswered() => Interlocked.Increment(ref optionsAnswered);

    public void Malformed() => Interlocked.Increment(ref malformed);

    public SimulatedServerCounts Snapshot() => new(
        new Dictionary<string, long>(whileActive, StringComparer.Ordinal),
        new Dictionary<string, long>(whileStandby, StringComparer.Ordinal),
        Interlocked.Read(ref invitesReceived),
        Interlocked.Read(ref invitesAnswered),
        Interlocked.Read(ref invitesCancelled),
        Interlocked.Read(ref invitesRefused),
        Interlocked.Read(ref acksReceived),
        Interlocked.Read(ref byesAnswered),
        Interlocked.Read(ref byesForOtherMembersDialogs),
        Interlocked.Read(ref unknownDialog481),
        Interlocked.Read(ref optionsAnswered),
        Interlocked.Read(ref malformed));
}
