using System.Collections.Immutable;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Health;

/// <summary>
/// The switchover rules of DESIGN.md ("How a switchover is detected") as pure functions:
/// each takes a <see cref="PairState"/> and one observation and returns the next state
/// (the same instance when nothing changed). No clocks, no I/O, no Orleans.
/// </summary>
internal sealed class PairHealthPolicy
{
    public const int DefaultHistoryLimit = 50;

    private readonly int _failuresToDown;
    private readonly int _historyLimit;
    private readonly TimeSpan _transactionFailureWindow;

    /// <param name="transactionFailureWindow">
    /// How close together <paramref name="failuresToDown"/> failed transactions must be to prove the active member
    /// dead; zero lets a single report switch.
    /// </param>
    public PairHealthPolicy(int failuresToDown, int historyLimit = DefaultHistoryLimit, TimeSpan transactionFailureWindow = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresToDown, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(transactionFailureWindow, TimeSpan.Zero);
        _failuresToDown = failuresToDown;
        _historyLimit = historyLimit;
        _transactionFailureWindow = transactionFailureWindow;
    }

    /// <summary>Applies one round in which both members were probed.</summary>
    public PairState ApplyProbes(PairState state, ProbeResult primary, ProbeResult backup, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        var probed = state with
        {
            Primary = Observe(state.Primary, primary, now),
            Backup = Observe(state.Backup, backup, now),
        };
        return probed.Available ? FailOverIfActiveDown(probed, now) : RecoverIfAnyAnswered(probed, now);
    }

    /// <summary>
    /// A request arrived from <paramref name="member"/>. Servers only originate traffic while
    /// active, so a request from the standby means it has taken over.
    /// </summary>
    public PairState ApplyRequestFrom(PairState state, string member, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        // Checked first so that a pair configured with one address twice never flaps.
        if (SameAddress(member, state.Active.Address) || !SameAddress(member, state.Standby.Address))
        {
            return state;
        }

        var standby = state.Standby;
        var alive = standby with { Health = MemberHealth.Up, ConsecutiveFailures = 0 };
        return SwitchToStandby(
            state.WithMember(alive),
            SwitchoverReason.TrafficFromStandby,
            $"request received from {RoleName(standby.Role)} {standby.Address}",
            now);
    }

    /// <summary>
    /// A transaction forwarded to <paramref name="member"/> failed (DESIGN.md rule 3). Reports against the
    /// active member are counted; FailuresToDown of them within the window prove it dead, and the pair switches
    /// when the other member is not known to be down, so the next transactions go straight to it. One slow
    /// answer alone (a busy host, a cold start) moves only its own transaction. A report about the standby, one
    /// that arrives after the switch it would cause, or one while the pair is unavailable changes nothing.
    /// </summary>
    public PairState ApplyTransactionFailure(PairState state, string member, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        var active = state.Active;
        if (!state.Available || !SameAddress(member, active.Address) || SameAddress(member, state.Standby.Address)
            || IsKnownDown(state.Standby))
        {
            return state;
        }

        var windowOpen = state.TransactionFailuresSince is { } since && now - since <= _transactionFailureWindow;
        var counted = windowOpen
            ? state with { TransactionFailures = state.TransactionFailures + 1 }
            : state with { TransactionFailures = 1, TransactionFailuresSince = now };
        if (counted.TransactionFailures < _failuresToDown && _transactionFailureWindow > TimeSpan.Zero)
        {
            return counted;
        }

        // The new active member starts a fresh count of misses: a standby that stays silent to OPTIONS until it
        // takes over gets FailuresToDown rounds to start answering before the pair is declared unavailable.
        var trusted = state.Standby with { Health = MemberHealth.Unknown, ConsecutiveFailures = 0 };
        return SwitchToStandby(
            counted.WithMember(trusted),
            SwitchoverReason.TransactionFailure,
            $"{counted.TransactionFailures} transaction(s) to {RoleName(active.Role)} {active.Address} failed, the last: {reason}",
            now);
    }

    /// <summary>Where a transaction that failed on <paramref name="member"/> is retried: the other member unless it is known to be down.</summary>
    public static string? RetryTarget(PairState state, string member)
    {
        ArgumentNullException.ThrowIfNull(state);

        if (SameAddress(member, state.Primary.Address))
        {
            return IsKnownDown(state.Backup) || SameAddress(member, state.Backup.Address) ? null : state.Backup.Address;
        }

        if (SameAddress(member, state.Backup.Address))
        {
            return IsKnownDown(state.Primary) ? null : state.Primary.Address;
        }

        return null;
    }

    /// <summary>
    /// Down after having answered: seen to die. A member that never answered may be a standby that stays
    /// silent to OPTIONS until it takes over (DESIGN.md), so it is not known to be down.
    /// </summary>
    public static bool IsKnownDown(MemberStatus member) =>
        member.Health == MemberHealth.Down && member.LastAnsweredAt is not null;

    /// <exception cref="InvalidOperationException">The other member is down.</exception>
    public PairState ApplyManualSwitchover(PairState state, string requestedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        var target = state.Standby;
        if (target.Health == MemberHealth.Down)
        {
            throw new InvalidOperationException(
                $"Pair '{state.Name}' cannot switch to {RoleName(target.Role)} {target.Address}: "
                + $"it is down ({target.ConsecutiveFailures} consecutive probes unanswered).");
        }

        return SwitchToStandby(state, SwitchoverReason.Manual, $"requested by {requestedBy}", now);
    }

    private MemberStatus Observe(MemberStatus member, ProbeResult result, DateTimeOffset now)
    {
        if (result.Answered)
        {
            // One answer is enough: a member that answers can take traffic, and waiting for
            // more would only lengthen an outage.
            return member with
            {
                Health = MemberHealth.Up,
                ConsecutiveFailures = 0,
                LastProbeRtt = result.RoundTrip,
                LastProbeAt = now,
                LastAnsweredAt = now,
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

    private PairState FailOverIfActiveDown(PairState state, DateTimeOffset now)
    {
        var active = state.Active;
        if (active.Health != MemberHealth.Down)
        {
            return state;
        }

        if (AnsweredLastProbe(state.Standby))
        {
            return SwitchToStandby(
                state,
                SwitchoverReason.ActiveDown,
                $"{RoleName(active.Role)} {active.Address} missed {active.ConsecutiveFailures} consecutive probes",
                now);
        }

        return state with { Available = false, Version = state.Version + 1 };
    }

    private PairState RecoverIfAnyAnswered(PairState state, DateTimeOffset now)
    {
        // The previously active member wins a tie: staying put moves no traffic.
        if (AnsweredLastProbe(state.Active))
        {
            return state with { Available = true, Version = state.Version + 1 };
        }

        if (AnsweredLastProbe(state.Standby))
        {
            var previous = state.Active;
            return SwitchToStandby(
                state,
                SwitchoverReason.FirstToRecover,
                $"neither member answered; previously active {RoleName(previous.Role)} {previous.Address} is still silent",
                now);
        }

        return state;
    }

    /// <summary>
    /// Only a member whose latest probe was answered is trusted with traffic; one that is
    /// still "up" but missed its last probe is as doubtful as the member it would replace.
    /// </summary>
    private static bool AnsweredLastProbe(MemberStatus member) =>
        member.Health == MemberHealth.Up && member.ConsecutiveFailures == 0;

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
            Version = state.Version + 1,
            History = Append(state.History, record),
            TransactionFailures = 0,
            TransactionFailuresSince = null,
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
