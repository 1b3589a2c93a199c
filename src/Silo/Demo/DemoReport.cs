using System.Globalization;
using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>What a person watching the demo wants to read: the set-up, the pair before and after, the crash, the gap, the switch, the calls.</summary>
internal sealed class DemoReport(TextWriter output, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly DateTimeOffset started = time.GetUtcNow();
    private int completed;
    private int failed;

    public void Started(DemoSettings settings, ProxySettings proxy, IPEndPoint sip, SimulatedHaPair pair, ICollection<string> adminUrls)
    {
        Line("OrleansProxy demo: everything on loopback");
        Line($"  proxy      udp://{sip}   admin {string.Join(", ", adminUrls)}");
        Line($"  primary    {pair.Primary.EndPoint}   (simulated SIP server, active)");
        Line($"  backup     {pair.Backup.EndPoint}   (simulated hot standby: answers every request 503 until it takes over)");
        Line($"  takeover   the backup takes over {Milliseconds(DemoSettings.TakeoverDelay)} ms after the primary dies (its own HA heartbeat); no member serves in between");
        Line($"  probing    OPTIONS every {proxy.Probe.Interval.TotalMilliseconds} ms, time-out {proxy.Probe.Timeout.TotalMilliseconds} ms, down after {proxy.Probe.FailuresToDown} misses");
        Line($"  calls      {settings.Calls} at {settings.CallsPerSecond.ToString(CultureInfo.InvariantCulture)}/s, each held {Milliseconds(settings.Hold)} ms (INVITE, ACK, BYE); the primary dies ({Death(settings.Death)}) halfway");
    }

    public void PairState(string when, PairStatus status)
    {
        Line($"pair {status.Name} {when}: {(status.Available ? "available" : "UNAVAILABLE")}, active {status.ActiveRole.ToString().ToLowerInvariant()} {status.Active.Address}");
        Member(status.Primary);
        Member(status.Backup);
        foreach (var record in status.History)
        {
            Line($"  switchover at {record.At:HH:mm:ss.fff}: {record.From ?? "none"} -> {record.To} ({record.Reason}) {record.Detail}");
        }
    }

    public void CallCompleted(CallResult result)
    {
        lock (gate)
        {
            completed++;
            if (!result.Succeeded)
            {
                failed++;
                Line($"  call {result.CallNumber} failed: {result.FailureReason}");
            }
        }
    }

    public void Died(SimulatedServer member, DateTimeOffset at)
    {
        lock (gate)
        {
            Line($"PRIMARY DIED at {at:HH:mm:ss.fff} ({Death(member.Death ?? DeathKind.ClosePort)}; {completed} calls completed so far, {failed} failed); the backup keeps refusing until it takes over");
        }
    }

    public void TookOver(SimulatedServer member, SimulatedPairReport pair)
    {
        Line($"TAKEOVER: the {member.Name} became active at {pair.TakeoverAt:HH:mm:ss.fff}, {Milliseconds(pair.Gap ?? TimeSpan.Zero)} ms after the death: the gap no member served");
    }

    /// <param name="record">The switch to the new active that stuck; null when there was none.</param>
    /// <param name="switchovers">Every switchover since the death, flapping included.</param>
    public void Switchover(SwitchoverRecord? record, int switchovers, SimulatedPairReport pair)
    {
        if (record is null)
        {
            Line($"the proxy did NOT settle on the new active ({switchovers} switchovers since the death)");
            return;
        }

        var sinceTakeover = pair.TakeoverAt is { } takeover ? $", {Milliseconds(record.At - takeover)} ms after the takeover" : string.Empty;
        Line($"PROXY SWITCHED to the new active at {record.At:HH:mm:ss.fff}{sinceTakeover}: {record.From ?? "none"} -> {record.To} ({record.Reason}); {switchovers} switchover(s) since the death");
    }

    public void FirstInvite(SimulatedPairReport pair)
    {
        Line(pair.FirstInviteAfterTakeoverMs is { } ms
            ? $"first INVITE reached the new active {ms.ToString("0", CultureInfo.InvariantCulture)} ms after the takeover"
            : "no INVITE reached the new active");
    }

    public void Servers(SimulatedPairReport pair)
    {
        Server("primary", pair.Primary);
        Server("backup", pair.Backup);
        Line($"  new requests sent to a standby {pair.RequestsToStandby}; BYEs the new active answered for the primary's calls {pair.ByesForOtherMembersDialogs}; BYEs answered 481 {pair.UnknownDialog481}");
    }

    public void Bridging(ProxyHoldCounters counters)
    {
        Line("how the proxy bridged the gap (its own metrics):");
        Line($"  requests held while no member served {counters.Held}, released to the new active {counters.Released} (longest wait {Milliseconds(counters.LongestWait)} ms), refused at the hold's bound {counters.Expired}");
        Line($"  transactions moved off the dead primary to the new active {counters.Moved} (ringing branches CANCELed first)");
    }

    /// <returns>True when no call failed.</returns>
    public bool Summary(IReadOnlyList<CallResult> results, SimulatedPairReport pair)
    {
        var totals = CallTotals.Of(results);
        Line($"calls placed {totals.Placed}, completed {totals.Completed}, failed {totals.Failed}");
        if (pair.DiedAt is { } died)
        {
            Line($"  started before the death          {Tally(results.Where(r => r.StartedAt < died).ToList())}");
            Line($"  started in the gap                {Tally(results.Where(r => r.StartedAt >= died && (pair.TakeoverAt is not { } t || r.StartedAt < t)).ToList())}");
            Line($"  started after the takeover        {Tally(results.Where(r => pair.TakeoverAt is { } t && r.StartedAt >= t).ToList())}");
        }

        foreach (var (status, count) in totals.FailuresByStatus)
        {
            Line($"  failed with {(status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture))}: {count}");
        }

        var success = totals.Placed > 0 && totals.Failed == 0;
        Line(success
            ? $"OK: no call failed across the crash and the takeover (run took {Milliseconds(time.GetUtcNow() - started)} ms)"
            : $"FAILED: {totals.Failed} of {totals.Placed} calls failed");
        return success;
    }

    private static string Health(MemberStatus member) => member.Health switch
    {
        MemberHealth.Serving => "serving",
        MemberHealth.NotServing => $"alive, not serving (answers {member.LastProbeStatus})",
        MemberHealth.Down => "down",
        _ => "unknown",
    };

    private static string Death(DeathKind kind) => kind == DeathKind.Freeze ? "frozen: its port stays open and silent" : "crashed: its port is closed";

    private static string Tally(List<CallResult> calls) =>
        $"{calls.Count,4} calls, {calls.Count(r => r.Succeeded),4} completed, {calls.Count(r => !r.Succeeded),4} failed";

    private static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private void Server(string name, SimulatedServerCounts counts) =>
        Line($"  {name,-8} answered {counts.InvitesAnswered} INVITEs, {counts.ByesAnswered} BYEs, {counts.OptionsAnswered} OPTIONS; while standby it got {counts.NewRequestsWhileStandby} new requests and {counts.OptionsWhileStandby} OPTIONS");

    private void Member(MemberStatus member)
    {
        var rtt = member.LastProbeRtt is { } value ? $", last answer took {value.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms" : string.Empty;
        Line($"  {member.Role.ToString().ToLowerInvariant(),-8} {member.Address,-21} {Health(member)}{rtt}");
    }

    private void Line(string text) => output.WriteLine($"[{Milliseconds(time.GetUtcNow() - started),6} ms] {text}");
}
