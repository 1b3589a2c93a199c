using Microsoft.Extensions.Logging;
using OrleansProxy.Grains.Health;
using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Grains.Pairs;

/// <summary>
/// The HA state of one pair, keyed by pair name: holds the current <see cref="PairState"/>,
/// probes both members on a grain timer and lets <see cref="PairHealthPolicy"/> decide; tells the host's
/// <see cref="IMemberDownListener"/> when a member is found down.
/// A reminder keeps the grain alive and probing once <see cref="Start"/> was called.
/// </summary>
internal sealed class HaPairGrain(
    IHaPairCatalog catalog,
    IMemberProber prober,
    IMemberDownListener downListener,
    TimeProvider timeProvider,
    ILogger<HaPairGrain> logger) : Grain, IHaPairGrain, IRemindable
{
    internal const string KeepAliveReminder = "keep-probing";

    private HaPairSettings? _settings;
    private PairHealthPolicy? _policy;
    private PairState? _state;
    private Task<PairRoute>? _route;
    private IGrainTimer? _probeTimer;
    private bool _fastProbing;
    private bool _keepAliveRegistered;

    private HaPairSettings Settings => _settings ?? throw UnknownPair();

    private PairHealthPolicy Policy => _policy ?? throw UnknownPair();

    private PairState State => _state ?? throw UnknownPair();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = this.GetPrimaryKeyString();
        _settings = catalog.Find(name);
        if (_settings is null)
        {
            HaPairLog.UnknownPair(logger, name);
            return;
        }

        // Transaction failures must come as close together as missed probes would to count as the same outage.
        var probe = _settings.Probe;
        _policy = new PairHealthPolicy(probe.FailuresToDown, transactionFailureWindow: probe.Interval * probe.FailuresToDown);
        _state = PairState.Initial(_settings);
        _route = Task.FromResult(_state.ToRoute());

        // After a deactivation the reminder is the only trace that the pair was started.
        _keepAliveRegistered = await KeepAliveReminderExistsAsync();
        if (_keepAliveRegistered)
        {
            ArmProbeTimer();
        }
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
        if (_settings is null)
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

    public Task<PairRoute> GetRoute() => _route ?? throw UnknownPair();

    public Task<PairRoute> ReportRequestFrom(string member)
    {
        Apply(Policy.ApplyRequestFrom(State, member, timeProvider.GetUtcNow()));
        return GetRoute();
    }

    public Task<string?> ReportTransactionFailure(string member, string reason)
    {
        Apply(Policy.ApplyTransactionFailure(State, member, reason, timeProvider.GetUtcNow()));
        return Task.FromResult(PairHealthPolicy.RetryTarget(State, member));
    }

    public Task<PairStatus> GetStatus() => Task.FromResult(State.ToStatus());

    public Task<PairStatus> Switchover(string requestedBy)
    {
        Apply(Policy.ApplyManualSwitchover(State, requestedBy, timeProvider.GetUtcNow()));
        return Task.FromResult(State.ToStatus());
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

        // Interleave: a round awaits its probes for up to Probe.Timeout, and GetRoute (once per
        // SIP transaction) and ReportRequestFrom must be answered meanwhile, not queued behind it.
        // State changes only happen between awaits, so a round applies its results to whatever
        // state is current when the probes return (a switch made meanwhile is respected).
        // KeepAlive: between calls the probe loop is the activation's only work; without it the
        // activation would be collected as idle and failover detection would silently stop.
        _probeTimer = this.RegisterGrainTimer(ProbeRoundAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = interval,
            Interleave = true,
            KeepAlive = true,
        });
        HaPairLog.ProbingStarted(logger, settings.Name, settings.Primary, settings.Backup, interval);
    }

    private async Task ProbeRoundAsync(CancellationToken cancellationToken)
    {
        var primaryProbe = ProbeMemberAsync(MemberRole.Primary, cancellationToken);
        var backupProbe = ProbeMemberAsync(MemberRole.Backup, cancellationToken);
        var primary = await primaryProbe;
        var backup = await backupProbe;

        // The timer was disposed (deactivation): a cancelled probe says nothing about the member.
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        Apply(Policy.ApplyProbes(State, primary, backup, timeProvider.GetUtcNow()));
    }

    private async Task<ProbeResult> ProbeMemberAsync(MemberRole role, CancellationToken cancellationToken)
    {
        var member = State.Member(role).Address;
        var timeout = Settings.Probe.Timeout;
        try
        {
            // Rounds are spaced from the end of the previous one, so a prober that ignored its
            // time-out would stall failover detection; twice the time-out bounds the round.
            return await prober.ProbeAsync(member, timeout, cancellationToken)
                .WaitAsync(timeout * 2, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.NoAnswer(TimeSpan.Zero);
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
        if (next.Version != previous.Version)
        {
            // Rebuilt only here: GetRoute hands out the same completed task until the route changes.
            _route = Task.FromResult(next.ToRoute());
        }

        LogChanges(previous, next);
        TellWhenDown(next.Name, previous.Primary, next.Primary);
        TellWhenDown(next.Name, previous.Backup, next.Backup);
        AdjustProbeCadence();
    }

    private void TellWhenDown(string pair, MemberStatus previous, MemberStatus next)
    {
        if (previous.Health != MemberHealth.Down && next.Health == MemberHealth.Down)
        {
            downListener.OnMemberDown(pair, next.Address);
        }
    }

    private void AdjustProbeCadence()
    {
        var fast = State.NeedsFastProbing;
        if (_probeTimer is null || fast == _fastProbing)
        {
            return;
        }

        _fastProbing = fast;
        var interval = CurrentInterval();
        _probeTimer.Change(interval, interval);
    }

    private TimeSpan CurrentInterval() => _fastProbing ? Settings.Probe.FastInterval : Settings.Probe.Interval;

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
            HaPairLog.PairUnavailable(logger, next.Name, active.Role, active.Address);
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

        if (next.Health == MemberHealth.Up)
        {
            HaPairLog.MemberUp(logger, pair, next.Role, next.Address);
        }
        else if (next.Health == MemberHealth.Down)
        {
            HaPairLog.MemberDown(logger, pair, next.Role, next.Address, next.ConsecutiveFailures);
        }
    }

    private KeyNotFoundException UnknownPair() =>
        new($"No HA pair named '{this.GetPrimaryKeyString()}' is configured.");
}
