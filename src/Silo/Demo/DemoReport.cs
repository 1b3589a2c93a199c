using System.Globalization;
using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Demo;

/// <summary>What a person watching the demo wants to read: the set-up, the pair before and after, the crash, the switchover, the calls.</summary>
internal sealed class DemoReport(TextWriter output, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly DateTimeOffset started = time.GetUtcNow();
    private int completed;
    private int failed;

    public void Started(DemoSettings settings, ProxySettings proxy, IPEndPoint sip, IPEndPoint primary, IPEndPoint backup, ICollection<string> adminUrls)
    {
        Line("OrleansProxy demo: everything on loopback");
        Line($"  proxy      udp://{sip}   admin {string.Join(", ", adminUrls)}");
        Line($"  primary    {primary}   (simulated SIP server, active)");
        Line($"  backup     {backup}   (simulated SIP server, standby: silent to OPTIONS until it takes over)");
        Line($"  probing    OPTIONS every {proxy.Probe.Interval.TotalMilliseconds} ms, time-out {proxy.Probe.Timeout.TotalMilliseconds} ms, down after {proxy.Probe.FailuresToDown} misses");
        Line($"  calls      {settings.Calls} at {settings.CallsPerSecond.ToString(CultureInfo.InvariantCulture)}/s (INVITE, ACK, BYE); the primary crashes halfway");
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

    public void CallCompleted(DemoCallResult result)
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

    public void Crashed(DateTimeOffset at)
    {
        lock (gate)
        {
            Line($"CRASH: the primary stopped at {at:HH:mm:ss.fff} ({completed} calls completed so far, {failed} failed); the backup takes over");
        }
    }

    public void Switchover(SwitchoverRecord? record, DateTimeOffset crashedAt)
    {
        if (record is null)
        {
            Line("the proxy did NOT switch over within 10 s of the crash");
            return;
        }

        Line($"SWITCHOVER detected at {record.At:HH:mm:ss.fff}, {Milliseconds(record.At - crashedAt)} ms after the crash: {record.From ?? "none"} -> {record.To} ({record.Reason})");
    }

    public void Servers(SimulatedSipServer primary, SimulatedSipServer backup)
    {
        Line($"servers: primary answered {primary.Counts.InvitesAnswered} INVITEs and {primary.Counts.OptionsAnswered} OPTIONS; backup answered {backup.Counts.InvitesAnswered} INVITEs and {backup.Counts.OptionsAnswered} OPTIONS");
    }

    /// <returns>True when a switchover happened and every call started after it succeeded.</returns>
    public bool Summary(IReadOnlyList<DemoCallResult> results, DateTimeOffset crashedAt, SwitchoverRecord? switchover)
    {
        var before = results.Where(r => r.StartedAt < crashedAt).ToList();
        var window = results.Where(r => r.StartedAt >= crashedAt && (switchover is null || r.StartedAt < switchover.At)).ToList();
        var after = switchover is null ? [] : results.Where(r => r.StartedAt >= switchover.At).ToList();
        Line($"calls placed {results.Count}, completed {results.Count(r => r.Succeeded)}, failed {results.Count(r => !r.Succeeded)}");
        Line($"  started before the crash          {Tally(before)}");
        Line($"  started while the proxy detected  {Tally(window)}");
        Line($"  started after the switchover      {Tally(after)}");
        var success = switchover is not null && after.Count > 0 && after.All(r => r.Succeeded);
        Line(success
            ? $"OK: every call after the switchover succeeded (run took {Milliseconds(time.GetUtcNow() - started)} ms)"
            : "FAILED: " + (switchover is null ? "no switchover was seen" : after.Count == 0 ? "no call was placed after the switchover" : "some calls after the switchover failed"));
        return success;
    }

    private static string Tally(List<DemoCallResult> calls) =>
        $"{calls.Count,4} calls, {calls.Count(r => r.Succeeded),4} completed, {calls.Count(r => !r.Succeeded),4} failed";

    private static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private void Member(MemberStatus member)
    {
        var rtt = member.LastProbeRtt is { } value ? $", last answer took {value.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms" : string.Empty;
        Line($"  {member.Role.ToString().ToLowerInvariant(),-8} {member.Address,-21} {member.Health.ToString().ToLowerInvariant()}{rtt}");
    }

    private void Line(string text) => output.WriteLine($"[{Milliseconds(time.GetUtcNow() - started),6} ms] {text}");
}
