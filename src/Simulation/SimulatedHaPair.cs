using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip;

namespace OrleansProxy.Simulation;

/// <summary>
/// A SIP server HA pair as a contact centre runs one: a hot standby that takes no calls until it has taken over,
/// and takes over only <see cref="SimulatedHaPairOptions.TakeoverDelay"/> after the active member died (its own
/// HA heartbeat has to notice). The members share dialog state, so the new active ends calls the old one set up.
/// A dead member comes back as the standby; there is no fail-back.
/// </summary>
public sealed partial class SimulatedHaPair : IAsyncDisposable
{
    private static readonly TimeSpan AnnouncementTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SipMetrics metrics = new();
    private readonly SharedDialogStore dialogs;
    private readonly TaskCompletionSource<DateTimeOffset> firstInvite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource<SimulatedServer> takenOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? takeoverTimer;
    private SimulatedServer? pendingTakeover;
    private volatile SimulatedServer? tookOver;
    private DateTimeOffset? diedAt;
    private DateTimeOffset? takeoverAt;
    private DateTimeOffset? firstInviteAfterTakeoverAt;
    private Task announcement = Task.CompletedTask;

    private SimulatedHaPair(SimulatedHaPairOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        if (options.Announcement != TakeoverAnnouncement.None && options.Proxy is null)
        {
            throw new ArgumentException("A takeover announcement needs the proxy's endpoint (Proxy).", nameof(options));
        }

        Options = options;
        this.time = time;
        logger = loggerFactory.CreateLogger<SimulatedHaPair>();
        dialogs = new SharedDialogStore(options.MaxDialogs);
        var serverLogger = loggerFactory.CreateLogger<SimulatedServer>();
        Primary = new SimulatedServer("primary", options.PrimaryEndPoint, ServerState.Active, options, dialogs, OnInvite, time, serverLogger, metrics);
        try
        {
            Backup = new SimulatedServer("backup", options.BackupEndPoint, ServerState.Standby, options, dialogs, OnInvite, time, serverLogger, metrics);
        }
        catch
        {
            _ = Primary.DisposeAsync().AsTask();
            throw;
        }
    }

    public SimulatedHaPairOptions Options { get; }

    /// <summary>Starts active.</summary>
    public SimulatedServer Primary { get; }

    /// <summary>Starts standby.</summary>
    public SimulatedServer Backup { get; }

    /// <summary>The member serving now; null in the gap between a death and the takeover.</summary>
    public SimulatedServer? Active => Primary.State == ServerState.Active ? Primary : Backup.State == ServerState.Active ? Backup : null;

    public SimulatedServer? Standby => Primary.State == ServerState.Standby ? Primary : Backup.State == ServerState.Standby ? Backup : null;

    /// <summary>Completes with the time the first new INVITE reached either member.</summary>
    public Task<DateTimeOffset> FirstInvite => firstInvite.Task;

    /// <summary>Calls established and not yet ended with a BYE, on either member.</summary>
    public int Dialogs => dialogs.Count;

    public SimulatedPairReport Report
    {
        get
        {
            lock (gate)
            {
                return new SimulatedPairReport(
                    diedAt,
                    takeoverAt,
                    firstInviteAfterTakeoverAt,
                    firstInvite.Task.IsCompletedSuccessfully ? firstInvite.Task.Result : null,
                    Primary.Counts,
                    Backup.Counts,
                    dialogs.Refused);
            }
        }
    }

    public static SimulatedHaPair Start(SimulatedHaPairOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null) =>
        new(options ?? SimulatedHaPairOptions.Default, time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);

    /// <summary>
    /// Kills the active member; the standby takes over after <paramref name="takeoverDelay"/> (default
    /// <see cref="SimulatedHaPairOptions.TakeoverDelay"/>; <see cref="Timeout.InfiniteTimeSpan"/> never).
    /// Completes once the member is dead (its port closed, for <see cref="DeathKind.ClosePort"/>).
    /// </summary>
    /// <returns>The member that died.</returns>
    public async Task<SimulatedServer> KillActiveAsync(DeathKind kind, TimeSpan? takeoverDelay = null)
    {
        SimulatedServer victim;
        SimulatedServer? heir;
        var delay = takeoverDelay ?? Options.TakeoverDelay;
        lock (gate)
        {
            victim = Active ?? throw new InvalidOperationException("No member is active: there is nothing to kill.");
            heir = ReferenceEquals(victim, Primary) ? Backup : Primary;
            diedAt = time.GetUtcNow();
            takeoverAt = null;
            firstInviteAfterTakeoverAt = null;
            tookOver = null;
            takenOver = new TaskCompletionSource<SimulatedServer>(TaskCreationOptions.RunContinuationsAsynchronously);
            takeoverTimer?.Dispose();
            takeoverTimer = null;
            pendingTakeover = heir.State == ServerState.Standby ? heir : null;
        }

        await victim.DieAsync(kind).ConfigureAwait(false);
        if (pendingTakeover is not null && delay != Timeout.InfiniteTimeSpan)
        {
            if (delay <= TimeSpan.Zero)
            {
                TakeOver();
            }
            else
            {
                lock (gate)
                {
                    takeoverTimer = time.CreateTimer(static state => ((SimulatedHaPair)state!).TakeOver(), this, delay, Timeout.InfiniteTimeSpan);
                }
            }
        }

        return victim;
    }

    /// <summary>Completes when the standby has taken over after the last death.</summary>
    public Task<SimulatedServer> WaitForTakeoverAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return takenOver.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The standby takes over now, whatever the delay: the pair's own heartbeat noticed early.</summary>
    public void TakeOverNow() => TakeOver();

    /// <summary>A planned switchover of the pair itself: the active member becomes the standby and the standby the active one, at once.</summary>
    public void SwitchOver()
    {
        lock (gate)
        {
            var active = Active ?? throw new InvalidOperationException("No member is active.");
            var standby = Standby ?? throw new InvalidOperationException("No member is standby.");
            active.BecomeStandby();
            standby.BecomeActive();
        }

        LogSwitchedOver(logger, Active!.Name);
    }

    /// <summary>
    /// Split brain: the standby becomes active while the active member stays active, as when a pair's heartbeat link
    /// breaks. Both take calls and share dialogs; <see cref="Active"/> names the primary.
    /// </summary>
    public void SplitBrain()
    {
        lock (gate)
        {
            (Standby ?? throw new InvalidOperationException("No member is standby.")).BecomeActive();
        }
    }

    /// <summary>The dead member comes back on its port, as the standby.</summary>
    /// <returns>The revived member.</returns>
    public SimulatedServer ReviveDead()
    {
        var dead = Primary.State == ServerState.Dead ? Primary : Backup.State == ServerState.Dead ? Backup : throw new InvalidOperationException("No member is dead.");
        dead.Revive();
        return dead;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        lock (gate)
        {
            takeoverTimer?.Dispose();
            takeoverTimer = null;
        }

        await Primary.DisposeAsync().ConfigureAwait(false);
        await Backup.DisposeAsync().ConfigureAwait(false);
        try
        {
            await announcement.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // The announcement was cut short by the stop.
        }

        metrics.Dispose();
        stopping.Dispose();
    }

    private void TakeOver()
    {
        SimulatedServer heir;
        TaskCompletionSource<SimulatedServer> done;
        lock (gate)
        {
            if (pendingTakeover is null || pendingTakeover.State != ServerState.Standby)
            {
                return;
            }

            heir = pendingTakeover;
            pendingTakeover = null;
            heir.BecomeActive();
            tookOver = heir;
            takeoverAt = time.GetUtcNow();
            done = takenOver;
            if (Options.Announcement != TakeoverAnnouncement.None)
            {
                announcement = AnnounceAsync(heir);
            }
        }

        done.TrySetResult(heir);
    }

    private async Task AnnounceAsync(SimulatedServer heir)
    {
        var proxy = Options.Proxy!;
        var other = ReferenceEquals(heir, Primary) ? Backup : Primary;
        int status;
        if (Options.Announcement == TakeoverAnnouncement.OptionsToProxy)
        {
            status = await heir.SendOptionsAsync(proxy, requestUri: null, AnnouncementTimeout, stopping.Token).ConfigureAwait(false);
        }
        else
        {
            var target = Options.AnnouncementTarget ?? $"sip:{SipAddresses.HostPort(other.EndPoint)}";
            status = await heir.SendRequestAsync("OPTIONS", proxy, target, [$"Route: <sip:{SipAddresses.HostPort(proxy)};lr>"], AnnouncementTimeout, stopping.Token).ConfigureAwait(false);
        }

        LogAnnounced(logger, heir.Name, Options.Announcement, proxy, status);
    }

    private void OnInvite(SimulatedServer member)
    {
        var now = time.GetUtcNow();
        firstInvite.TrySetResult(now);
        if (tookOver is null || firstInviteAfterTakeoverAt is not null)
        {
            return;
        }

        lock (gate)
        {
            if (ReferenceEquals(member, tookOver) && firstInviteAfterTakeoverAt is null)
            {
                firstInviteAfterTakeoverAt = now;
            }
        }
    }

    [LoggerMessage(EventId = SimulationLogEvents.AnnouncementSent, Level = LogLevel.Information, Message = "Simulated server {Server} announced its takeover ({Kind}) to {Proxy}: {Status}")]
    private static partial void LogAnnounced(ILogger logger, string server, TakeoverAnnouncement kind, IPEndPoint proxy, int status);

    [LoggerMessage(EventId = SimulationLogEvents.SwitchedOver, Level = LogLevel.Information, Message = "Simulated pair switched over: {Server} is active")]
    private static partial void LogSwitchedOver(ILogger logger, string server);
}
