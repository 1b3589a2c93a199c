using System.Net;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Simulation;

/// <summary>How a simulated HA pair behaves. Defaults: loopback ports picked at bind time, silent standby, immediate takeover.</summary>
public sealed record SimulatedHaPairOptions
{
    public static readonly SimulatedHaPairOptions Default = new();

    /// <summary>Where the primary listens; port 0 picks a free port.</summary>
    public IPEndPoint PrimaryEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>Where the backup listens; port 0 picks a free port.</summary>
    public IPEndPoint BackupEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    public StandbyBehavior Standby { get; init; } = StandbyBehavior.Silent;

    /// <summary>
    /// From the active member's death to the standby's takeover: a real pair's HA heartbeat takes 1-5 s to notice.
    /// Zero takes over at once; <see cref="Timeout.InfiniteTimeSpan"/> never.
    /// </summary>
    public TimeSpan TakeoverDelay { get; init; } = TimeSpan.Zero;

    public TakeoverAnnouncement Announcement { get; init; } = TakeoverAnnouncement.None;

    /// <summary>The proxy the announcement goes to; needed unless <see cref="Announcement"/> is None.</summary>
    public IPEndPoint? Proxy { get; init; }

    /// <summary>The Request-URI of a <see cref="TakeoverAnnouncement.RequestThroughProxy"/>; null: the other member's address.</summary>
    public string? AnnouncementTarget { get; init; }

    /// <summary>From 180 Ringing to 200 OK. Zero answers at once; a delay leaves room for a CANCEL.</summary>
    public TimeSpan AnswerDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Calls a member holds at once (ringing, or awaiting ACK); INVITEs beyond it get 503, as an overloaded server's would.</summary>
    public int MaxCalls { get; init; } = 100_000;

    /// <summary>The Retry-After, in seconds, of a standby's 503 and of an overloaded member's.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>Established dialogs the pair remembers at once; past it new calls are still answered but a BYE for them gets 481.</summary>
    public int MaxDialogs { get; init; } = 200_000;

    public TransactionTimers Timers { get; init; } = TransactionTimers.Default;

    /// <summary>Server transactions a member holds at once.</summary>
    public int MaxTransactions { get; init; } = 100_000;
}
