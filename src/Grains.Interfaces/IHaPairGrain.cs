using Orleans.Concurrency;

namespace OrleansProxy.Grains;

/// <summary>
/// The HA state of one primary/backup pair of SIP servers, keyed by pair name.
/// Every proxy node runs its own localhost silo, so each node holds its own view.
/// </summary>
[Alias("OrleansProxy.IHaPairGrain")]
public interface IHaPairGrain : IGrainWithStringKey
{
    /// <summary>Registers the keep-alive reminder and starts probing; idempotent.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>Where a user agent's transaction goes now. Called once per transaction.</summary>
    /// <remarks>
    /// The short time-out is deliberate: a SIP client retransmits after 500 ms, so a routing answer later
    /// than that is worthless; the caller answers 503 instead of holding the transaction for Orleans' default 30 s.
    /// </remarks>
    [ReadOnly, AlwaysInterleave, ResponseTimeout("00:00:00.500")]
    [Alias("GetRoute")]
    Task<PairRoute> GetRoute();

    /// <summary>
    /// A request arrived from <paramref name="member"/> ("host:port"). A server only originates traffic while
    /// active, so a request from the standby switches at once, and one from the active member while none served
    /// makes the pair available again.
    /// </summary>
    [AlwaysInterleave, ResponseTimeout("00:00:00.500")]
    [Alias("ReportRequestFrom")]
    Task<PairRoute> ReportRequestFrom(string member);

    /// <summary>
    /// Traffic to <paramref name="member"/> went wrong (no response in time, 503, a send that failed, a broken
    /// connection). That is a hint, never evidence: it starts a short burst of fast probes to both members, and the
    /// probes decide. A server that answers its probes is never switched away from because its calls are slow.
    /// </summary>
    [AlwaysInterleave, OneWay]
    [Alias("ReportHint")]
    Task ReportHint(string member, string reason);

    [ReadOnly, AlwaysInterleave]
    [Alias("GetStatus")]
    Task<PairStatus> GetStatus();

    /// <summary>
    /// The host's pair catalog changed (a configuration reload): take the pair's settings from it again. Unchanged
    /// settings change nothing; new probe settings keep health, active member and history; new members start the
    /// pair afresh; a pair no longer configured stops probing and lets its activation go.
    /// </summary>
    [Alias("Reconfigure")]
    Task Reconfigure();

    /// <summary>Operator-requested switchover to the other member, refused unless that member serves.</summary>
    [AlwaysInterleave]
    [Alias("Switchover")]
    Task<PairStatus> Switchover(string requestedBy);
}
