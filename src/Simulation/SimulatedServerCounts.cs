namespace OrleansProxy.Simulation;

/// <summary>A snapshot of what one member received and answered.</summary>
/// <param name="RequestsWhileActive">Every request datagram received while active, retransmissions included, by method.</param>
/// <param name="RequestsWhileStandby">Every request datagram received while standby, by method.</param>
/// <param name="InvitesReceived">New INVITE transactions (not retransmissions, not re-INVITEs) while active.</param>
/// <param name="InvitesRefused">INVITEs an active member refused with 503 because it held <see cref="SimulatedHaPairOptions.MaxCalls"/>.</param>
/// <param name="ByesForOtherMembersDialogs">BYEs answered 200 for a dialog the other member set up.</param>
/// <param name="UnknownDialog481">BYEs (and re-INVITEs) answered 481: no such dialog in the shared store.</param>
public sealed record SimulatedServerCounts(
    IReadOnlyDictionary<string, long> RequestsWhileActive,
    IReadOnlyDictionary<string, long> RequestsWhileStandby,
    long InvitesReceived,
    long InvitesAnswered,
    long InvitesCancelled,
    long InvitesRefused,
    long AcksReceived,
    long ByesAnswered,
    long ByesForOtherMembersDialogs,
    long UnknownDialog481,
    long OptionsAnswered,
    long MalformedMessages)
{
    /// <summary>
    /// Requests that start something, received while standby: everything but OPTIONS (probes), ACK and CANCEL
    /// (which only follow an INVITE). A proxy that never sends a call to a standby keeps this at 0.
    /// </summary>
    public long NewRequestsWhileStandby => Sum(RequestsWhileStandby, newOnly: true);

    public long OptionsWhileStandby => RequestsWhileStandby.GetValueOrDefault("OPTIONS");

    public long NewRequestsWhileActive => Sum(RequestsWhileActive, newOnly: true);

    public long OptionsWhileActive => RequestsWhileActive.GetValueOrDefault("OPTIONS");

    /// <summary>INVITE datagrams received while standby, retransmissions included.</summary>
    public long InvitesWhileStandby => RequestsWhileStandby.GetValueOrDefault("INVITE");

    public static bool IsNewRequest(string method) => method is not ("OPTIONS" or "ACK" or "CANCEL");

    private static long Sum(IReadOnlyDictionary<string, long> counts, bool newOnly)
    {
        long total = 0;
        foreach (var (method, count) in counts)
        {
            if (!newOnly || IsNewRequest(method))
            {
                total += count;
            }
        }

        return total;
    }
}
