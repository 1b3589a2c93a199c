using Microsoft.Extensions.Logging;
using OrleansProxy.Grains.Health;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Pairs;

/// <summary>
/// The HA state of one pair, keyed by pair name: holds the current <see cref="PairState"/>, probes both members on a
/// grain timer and lets <see cref="PairHealthPolicy"/> decide; tells the host's <see cref="IPairListener"/> when the
/// route changes or a member is lost. A hint from traffic speeds the probes up for a short burst; it never switches.
/// A reminder keeps the grain alive and probing once <see cref="Start"/> was called.
/// </summary>
internal sealed class HaPairGrain(
    IHaPairCatalog catalog,
    IMemberProber prober,
    IPairListener listener,
    TimeProvider timeProvider,
    ILogger<HaPairGrain> logger) : Grain, IHaPairGrain, IRemindable
{
    internal const string KeepAliveReminder = "keep-probing";

    private readonly long[] _lastAppliedProbe = new long[2];
    private HaPairSettings? _settings;
    private PairHealthPolicy? _policy;
    private PairState? _state;
    private Task<PairRoute>? _route;
    private IGrainTimer? _probeTimer;
    private bool _fastProbing;
    private bool _keepAliveRegistered;
    private long _probesSent;
    private DateTimeOffset _burstUntil;
    private bool _deactivated;
    private bool _retired;

    // Grows when the members change or the pair is removed: a probe sent before that says nothing about the new state.
    private long _generation;

    private HaPairSettings Settings => _settings ?? throw UnknownPair();

    private PairHealthPolicy Policy => _policy ?? throw UnknownPair();

    private PairState State => _state ?? throw UnknownPair();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = this.GetPrimaryKeyString();
        var settings = catalog.Find(name);
        if (settings is null)
        {
            HaPairLog.UnknownPair(logger, name);
            return;
        }

        Initialize(settings, version: 1);

        // After a deactivation the reminder is the only trace that the pair was started.
        _keepAliveRegistered = await KeepAliveReminderExistsAsync();
        if (_keepAliveRegistered)
        {
            ArmProbeTimer();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Probes still out end at their time-out; what they say is dropped with this activation.
        _deactivated = true;
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        var probe = Settings.Probe;
        ArmProbeTimer();
        if (!_keepAliveRegistered)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, probe.KeepAlivePeriod, probe.KeepAlivePeriod);
            _keepAliveRegistered = true;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_settings is null || _retired)
        {
            // The pair is no longer configured: stop waking an activation that can do nothing.
            var reminder = await this.GetReminder(reminderName);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        // Ticks may be missed or repeated; arming is idempotent, so either is harmless.
        _keepAliveRegistered = true;
        ArmProbeTimer();
    }

    public async Task Reconfigure()
    {
        var next = catalog.Find(this.GetPrimaryKeyString());
        if (next is null)
        {
            await RetireAsync();
            return;
        }

        var previous = _settings;
        if (previous is null || _retired)
        {
            // This activation never knew the pair (or let it go): start it as a new activation would.
            _retired = false;
            Initialize(next, (_state?.Version ?? 0) + 1);
            PublishRoute();
            RestartProbeTimer();
            return;
        }

        if (next == previous)
        {
            return;
        }

        _settings = next;
        _policy = new PairHealthPolicy(next.Probe.FailuresToDown, next.Probe.ServingCodes);
        if (!string.Equals(next.Primary, previous.Primary, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(next.Backup, previous.Backup, StringComparison.OrdinalIgnoreCase))
        {
            // Health and history belong to the old members; what the new ones are is only known from their probes.
            _generation++;
            _burstUntil = default;
            _state = PairState.Initial(next, timeProvider.GetUtcNow()) with { Version = State.Version + 1 };
            PublishRoute();
            HaPairLog.MembersReconfigured(logger, next.Name, next.Primary, next.Backup);
        }
        else
        {
            HaPairLog.ProbeReconfigured(logger, next.Name, next.Probe.Interval, next.Probe.Timeout, next.Probe.FailuresToDown);
        }

        RestartProbeTimer();
        if (_keepAliveRegistered && next.Probe.KeepAlivePeriod != previous.Probe.KeepAlivePeriod)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, next.Probe.KeepAlivePeriod, next.Probe.KeepAlivePeriod);
        }
    }

    public Task<PairRoute> GetRoute() => _route ?? throw UnknownPair();

    public Task<PairRoute> ReportRequestFrom(string member)
    {
        Apply(Policy.ApplyRequestFrom(State, member, timeProvider.GetUtcNow()));
        return GetRoute();
    }

    public Task ReportHint(string member, string reason)
    {
        var now = timeProvider.GetUtcNow();
        if (_probeTimer is null || now < _burstUntil || !IsMember(member))
        {
            // One burst at a time: a stream of failing calls costs a bounded probe rate, not one probe per call.
            return Task.CompletedTask;
        }

        var probe = Settings.Probe;
        _burstUntil = now + probe.BurstDuration;
        _fastProbing = true;
        _probeTimer.Change(TimeSpan.Zero, probe.FastInterval);
        HaPairLog.ProbeBurst(logger, Settings.Name, member, reason, probe.FastInterval, probe.BurstDuration);
        return Task.CompletedTask;
    }

    public Task<PairStatus> GetStatus() => Task.FromResult(State.ToStatus());

    public Task<PairStatus> Switchover(string requestedBy)
    {
        Apply(Policy.ApplyManualSwitchover(State, requestedBy, timeProvider.GetUtcNow()));
        return Task.FromResult(State.ToStatus());
    }

    private void Initialize(HaPairSettings settings, long version)
    {
        _settings = settings;
        _policy = new PairHealthPolicy(settings.Probe.FailuresToDown, settings.Probe.ServingCodes);
        _state = PairState.Initial(settings, timeProvider.GetUtcNow()) with { Version = version };
        _route = Task.FromResult(_state.ToRoute());
    }

    private void PublishRoute()
    {
        var route = State.ToRoute();
        _route = Task.FromResult(route);
        listener.OnRouteChanged(route);
    }

    /// <summary>Re-arms probing at the new cadence when it ran; a pair that was never started stays unstarted.</summary>
    private void RestartProbeTimer()
    {
        if (_probeTimer is null)
        {
            return;
        }

        _probeTimer.Dispose();
        _probeTimer = null;
        ArmProbeTimer();
    }

    /// <remarks>
    /// The activation still answers GetRoute with its last route until it goes: a request resolved against the routing
    /// snapshot before the reload may still ask, and must get the member it would have got rather than an error.
    /// </remarks>
    private async Task RetireAsync()
    {
        if (_retired || _settings is null)
        {
            // Never configured on this activation: nothing probes; a reminder left behind stops itself on its tick.
            if (_settings is null)
            {
                this.DeactivateOnIdle();
            }

            return;
        }

        _retired = true;
        _generation++;
        _probeTimer?.Dispose();
        _probeTimer = null;
        _burstUntil = default;
        var reminder = await this.GetReminder(KeepAliveReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _keepAliveRegistered = false;
        HaPairLog.PairRetired(logger, Settings.Name);
        this.DeactivateOnIdle();
    }

    private async Task<bool> KeepAliveReminderExistsAsync()
    {
        try
        {
            return await this.GetReminder(KeepAliveReminder) is not null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Routing must not fail because of this lookup; the next reminder tick re-arms probing.
            HaPairLog.ReminderLookupFailed(logger, exception, Settings.Name);
            return false;
        }
    }

    private void ArmProbeTimer()
    {
        if (_probeTimer is not null)
        {
            return;
        }

        var settings = Settings;
        _fastProbing = State.NeedsFastProbing;
        var interval = CurrentInterval();

        // Interleave: a tick only sends probes; their answers come back on their own, so GetRoute (once per SIP
        // transaction) and ReportRequestFrom are never queued behind a probe that waits for its time-out, and a
        // fast cadence is not slowed down to one round per time-out.
        // KeepAlive: between calls the probe loop is the activation's only work; without it the activation would
        // be collected as idle and failover detection would silently stop.
        _probeTimer = this.RegisterGrainTimer(ProbeTick, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = interval,
            Interleave = true,
            KeepAlive = true,
        });
        HaPairLog.ProbingStarted(logger, settings.Name, settings.Primary, settings.Backup, interval, settings.Probe.ServingCodes);
    }

    private Task ProbeTick(CancellationToken cancellationToken)
    {
        _ = ProbeAndApplyAsync(MemberRole.Primary);
        _ = ProbeAndApplyAsync(MemberRole.Backup);
        AdjustProbeCadence();
        return Task.CompletedTask;
    }

    private async Task ProbeAndApplyAsync(MemberRole role)
    {
        var sequence = ++_probesSent;
        var generation = _generation;
        var result = await ProbeMemberAsync(role);

        // Probes overlap at a fast cadence: an answer older than one already applied says nothing new.
        var slot = (int)role;
        if (_deactivated || generation != _generation || sequence < _lastAppliedProbe[slot])
        {
            return;
        }

        _lastAppliedProbe[slot] = sequence;
        Apply(Policy.ApplyProbe(State, role, result, timeProvider.GetUtcNow()));
    }

    private async Task<ProbeResult> ProbeMemberAsync(MemberRole role)
    {
        var member = State.Member(role).Address;
        var timeout = Settings.Probe.Timeout;
        try
        {
            // A prober that ignored its time-out would leave the member's state stale; twice the time-out bounds it.
            return await prober.ProbeAsync(member, timeout, CancellationToken.None)
                .WaitAsync(timeout * 2, timeProvider);
        }
        catch (Exception exception)
        {
            // Warn once per streak of misses; a prober that keeps failing would otherwise log every round.
            var level = State.Member(role).ConsecutiveFailures == 0 ? LogLevel.Warning : LogLevel.Debug;
            HaPairLog.ProbeFailed(logger, level, exception, Settings.Name, member);
            return ProbeResult.NoAnswer(timeout);
        }
    }

    private void Apply(PairState next)
    {
        var previous = State;
        if (ReferenceEquals(previous, next))
        {
            return;
        }

        _state = next;
        LogChanges(previous, next);
        if (next.Version != previous.Version)
        {
            // Rebuilt only here: GetRoute hands out the same completed task until the route changes.
            var route = next.ToRoute();
            _route = Task.FromResult(route);
            listener.OnRouteChanged(route);
        }

        TellLost(previous, next);
        AdjustProbeCadence();
    }

    /// <summary>
    /// A member found down, or switched away from on evidence, no longer answers what waits on it; each is told once
    /// (one found down earlier in the same outage was told then). An operator's switchover leaves the old member's
    /// transactions alone: it still serves them.
    /// </summary>
    private void TellLost(PairState previous, PairState next)
    {
        var switched = previous.ActiveRole != next.ActiveRole && next.History is not [.., { Reason: SwitchoverReason.Manual }];
        foreach (var role in (ReadOnlySpan<MemberRole>)[MemberRole.Primary, MemberRole.Backup])
        {
            var wasDown = previous.Member(role).Health == MemberHealth.Down;
            var wentDown = !wasDown && next.Member(role).Health == MemberHealth.Down;
            if (wentDown || (switched && role == previous.ActiveRole && !wasDown))
            {
                listener.OnMemberLost(next.Name, next.Member(role).Address);
            }
        }
    }

    private void AdjustProbeCadence()
    {
        var fast = State.NeedsFastProbing || timeProvider.GetUtcNow() < _burstUntil;
        if (_probeTimer is null || fast == _fastProbing)
        {
            return;
        }

        _fastProbing = fast;
        var interval = CurrentInterval();
        _probeTimer.Change(interval, interval);
    }

    private TimeSpan CurrentInterval() => _fastProbing ? Settings.Probe.FastInterval : Settings.Probe.Interval;

    private bool IsMember(string member) =>
        string.Equals(member, Settings.Primary, StringComparison.OrdinalIgnoreCase)
        || string.Equals(member, Settings.Backup, StringComparison.OrdinalIgnoreCase);

    private void LogChanges(PairState previous, PairState next)
    {
        LogHealthChange(next.Name, previous.Primary, next.Primary);
        LogHealthChange(next.Name, previous.Backup, next.Backup);

        if (next.History != previous.History)
        {
            var record = next.History[^1];
            HaPairLog.Switchover(logger, next.Name, record.From ?? "none", record.To, record.Reason, record.Detail);
        }

        var active = next.Active;
        if (previous.Available && !next.Available)
        {
            HaPairLog.PairUnavailable(logger, next.Name, active.Role, active.Address, PairHealthPolicy.Describe(active));
        }
        else if (!previous.Available && next.Available)
        {
            HaPairLog.PairRecovered(logger, next.Name, active.Role, active.Address);
        }
    }

    private void LogHealthChange(string pair, MemberStatus previous, MemberStatus next)
    {
        if (previous.Health == next.Health)
        {
            return;
        }

        switch (next.Health)
        {
            case MemberHealth.Serving:
                HaPairLog.MemberServing(logger, pair, next.Role, next.Address);
                break;
            case MemberHealth.NotServing:
                HaPairLog.MemberNotServing(logger, pair, next.Role, next.Address, next.LastProbeStatus);
                break;
            case MemberHealth.Down:
                HaPairLog.MemberDown(logger, pair, next.Role, next.Address, next.ConsecutiveFailures);
                break;
        }
    }

    private KeyNotFoundException UnknownPair() =>
        new($"No HA pair named '{this.GetPrimaryKeyString()}' is configured.");
}
