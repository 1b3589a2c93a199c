using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Health;

/// <summary>
/// The switchover rules of DESIGN.md ("How a switchover is detected") as pure functions: each takes a
/// <see cref="PairState"/> and one piece of evidence (a probe's answer, a request from a member, an operator) and
/// returns the next state. Only a serving member is ever active. No clocks, no I/O, no Orleans; traffic that fails
/// is a hint for the grain to probe harder, never an input here.
/// </summary>
internal sealed class PairHealthPolicy
{
    public const int DefaultHistoryLimit = 50;

    private readonly int _failuresToDown;
    private readonly ServingCodes _serving;
    private readonly int _historyLimit;

    public PairHealthPolicy(int failuresToDown, ServingCodes? serving = null, int historyLimit = DefaultHistoryLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresToDown, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        _failuresToDown = failuresToDown;
        _serving = serving ?? ServingCodes.Default;
        _historyLimit = historyLimit;
    }

    /// <summary>One probe of the member in <paramref name="role"/> came back (or timed out).</summary>
    public PairState ApplyProbe(PairState state, MemberRole role, ProbeResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        return Decide(state.WithMember(Observe(state.Member(role), result, now)), now);
    }

    /// <summary>
    /// A request arrived from <paramref name="member"/>. Servers only originate traffic while active, so a request
    /// from the standby means it has taken over, and one from the active member while none served means it serves.
    /// </summary>
    public PairState ApplyRequestFrom(PairState state, string member, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        // Checked first so that a pair configured with one address twice never flaps.
        if (SameAddress(member, state.Active.Address))
        {
            return state.Available || SameAddress(member, state.Standby.Address)
                ? state
                : Recover(state.WithMember(Serve(state.Active, now)));
        }

        if (!SameAddress(member, state.Standby.Address))
        {
            return state;
        }

        var standby = state.Standby;
        return SwitchToStandby(
            state.WithMember(Serve(standby, now)),
            SwitchoverReason.TrafficFromStandby,
            $"request received from {RoleName(standby.Role)} {standby.Address}",
            now);
    }

    /// <exception cref="InvalidOperationException">The other member does not serve: it is down, refuses, or was never heard.</exception>
    public PairState ApplyManualSwitchover(PairState state, string requestedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        var target = state.Standby;
        if (target.Health != MemberHealth.Serving)
        {
            throw new InvalidOperationException(
                $"Pair '{state.Name}' cannot switch to {RoleName(target.Role)} {target.Address}: it is not serving ({Describe(target)}).");
        }

        return SwitchToStandby(state, SwitchoverReason.Manual, $"requested by {requestedBy}", now);
    }

    /// <summary>Why a member is not serving, as an operator reads it.</summary>
    public static string Describe(MemberStatus member) => member.Health switch
    {
        MemberHealth.Serving => "serving",
        MemberHealth.NotServing => $"answers probes with {member.LastProbeStatus}",
        MemberHealth.Down => $"down, {member.ConsecutiveFailures} consecutive probes unanswered",
        _ => member.LastProbeAt is null ? "not probed yet" : $"{member.ConsecutiveFailures} probe(s) unanswered",
    };

    private MemberStatus Observe(MemberStatus member, ProbeResult result, DateTimeOffset now)
    {
        if (result.Answered)
        {
            // One answer is enough: waiting for more would only lengthen the gap of a takeover.
            return member with
            {
                Health = _serving.IsServing(result.StatusCode) ? MemberHealth.Serving : MemberHealth.NotServing,
                ConsecutiveFailures = 0,
                LastProbeRtt = result.RoundTrip,
                LastProbeAt = now,
                LastAnsweredAt = now,
                LastProbeStatus = result.StatusCode,
            };
        }

        var failures = member.ConsecutiveFailures == int.MaxValue ? int.MaxValue : member.ConsecutiveFailures + 1;
        return member with
        {
            Health = failures >= _failuresToDown ? MemberHealth.Down : member.Health,
            ConsecutiveFailures = failures,
            LastProbeAt = now,
        };
    }

    private PairState Decide(PairState state, DateTimeOffset now)
    {
        var active = state.Active;
        if (active.Health == MemberHealth.Serving)
        {
            return state.Available ? state : Recover(state);
        }

        // The previously active member keeps its place until the probes say it refuses or is down, not after one
        // slow answer: a node that has just started prefers the configured primary whenever it serves, and only a
        // primary that refuses or stays silent lets the first backup answer take over.
        var refuses = active.Health is MemberHealth.Down or MemberHealth.NotServing;
        if (refuses && ServesNow(state.Standby))
        {
            var (reason, detail) = !state.Available
                ? (SwitchoverReason.FirstToRecover, $"no member served; {RoleName(active.Role)} {active.Address}: {Describe(active)}")
                : active.Health == MemberHealth.Down
                    ? (SwitchoverReason.ActiveDown, $"{RoleName(active.Role)} {active.Address} missed {active.ConsecutiveFailures} consecutive probes")
                    : (SwitchoverReason.ActiveNotServing, $"{RoleName(active.Role)} {active.Address} {Describe(active)}");
            return SwitchToStandby(state, reason, detail, now);
        }

        return state.Available && refuses
            ? state with { Available = false, UnavailableSince = now, Version = state.Version + 1 }
            : state;
    }

    /// <summary>
    /// Only a member whose latest probe was answered with a serving code is trusted with traffic; one that missed
    /// its last probe is as doubtful as the member it would replace.
    /// </summary>
    private static bool ServesNow(MemberStatus member) =>
        member.Health == MemberHealth.Serving && member.ConsecutiveFailures == 0;

    private static MemberStatus Serve(MemberStatus member, DateTimeOffset now) =>
        member with { Health = MemberHealth.Serving, ConsecutiveFailures = 0, LastAnsweredAt = now };

    private static PairState Recover(PairState state) =>
        state with { Available = true, UnavailableSince = null, Version = state.Version + 1 };

    private PairState SwitchToStandby(PairState state, SwitchoverReason reason, string detail, DateTimeOffset now)
    {
        // From is empty when the pair was unavailable: no member was taking traffic.
        var record = new SwitchoverRecord(
            now,
            state.Available ? state.Active.Address : null,
            state.Standby.Address,
            reason,
            detail);

        return state with
        {
            ActiveRole = state.Standby.Role,
            Available = true,
            UnavailableSince = null,
            Version = state.Version + 1,
            History = Append(state.History, record),
        };
    }

    private ImmutableArray<SwitchoverRecord> Append(ImmutableArray<SwitchoverRecord> history, SwitchoverRecord record)
    {
        var overflow = history.Length - _historyLimit + 1;
        return (overflow > 0 ? history.RemoveRange(0, overflow) : history).Add(record);
    }

    private static string RoleName(MemberRole role) => role == MemberRole.Primary ? "primary" : "backup";

    private static bool SameAddress(string left, string right) =>
        string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
