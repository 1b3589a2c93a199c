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
    /// A request arrived from <paramref name="member"/> ("host:port"). A server only
    /// originates traffic while active, so a request from the standby switches at once.
    /// </summary>
    [AlwaysInterleave, ResponseTimeout("00:00:00.500")]
    [Alias("ReportRequestFrom")]
    Task<PairRoute> ReportRequestFrom(string member);

    /// <summary>
    /// A transaction forwarded to <paramref name="member"/> failed (no response in time, 503, or the send
    /// failed): evidence that the active member is dead (DESIGN.md rule 3); enough of it close together switches
    /// the pair unless the other member is known to be down.
    /// </summary>
    /// <returns>The member ("host:port") to retry the transaction on, or null when there is none.</returns>
    [AlwaysInterleave, ResponseTimeout("00:00:00.500")]
    [Alias("ReportTransactionFailure")]
    Task<string?> ReportTransactionFailure(string member, string reason);

    [ReadOnly, AlwaysInterleave]
    [Alias("GetStatus")]
    Task<PairStatus> GetStatus();

    /// <summary>Operator-requested switchover to the other member.</summary>
    [AlwaysInterleave]
    [Alias("Switchover")]
    Task<PairStatus> Switchover(string requestedBy);
}
