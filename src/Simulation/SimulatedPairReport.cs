namespace OrleansProxy.Simulation;

/// <summary>What happened to a pair, for tests, the demo and the benchmark verb's JSON report.</summary>
/// <param name="DiedAt">When the active member was last killed; null when none was.</param>
/// <param name="TakeoverAt">When the standby last took over after a death.</param>
/// <param name="FirstInviteAfterTakeoverAt">When the first new INVITE reached the member that took over.</param>
public sealed record SimulatedPairReport(
    DateTimeOffset? DiedAt,
    DateTimeOffset? TakeoverAt,
    DateTimeOffset? FirstInviteAfterTakeoverAt,
    DateTimeOffset? FirstInviteAt,
    SimulatedServerCounts Primary,
    SimulatedServerCounts Backup,
    long DialogsNotRemembered)
{
    /// <summary>Gap between the takeover and the first INVITE at the new active, in milliseconds; null until both happened.</summary>
    public double? FirstInviteAfterTakeoverMs => TakeoverAt is { } takeover && FirstInviteAfterTakeoverAt is { } invite ? (invite - takeover).TotalMilliseconds : null;

    /// <summary>How long the pair served no one: from the death to the takeover.</summary>
    public TimeSpan? Gap => DiedAt is { } died && TakeoverAt is { } takeover ? takeover - died : null;

    /// <summary>New requests (OPTIONS, ACK and CANCEL excluded) either member received while it was standby.</summary>
    public long RequestsToStandby => Primary.NewRequestsWhileStandby + Backup.NewRequestsWhileStandby;

    public long OptionsToStandby => Primary.OptionsWhileStandby + Backup.OptionsWhileStandby;

    public long InvitesAnswered => Primary.InvitesAnswered + Backup.InvitesAnswered;

    public long ByesAnswered => Primary.ByesAnswered + Backup.ByesAnswered;

    public long ByesForOtherMembersDialogs => Primary.ByesForOtherMembersDialogs + Backup.ByesForOtherMembersDialogs;

    public long UnknownDialog481 => Primary.UnknownDialog481 + Backup.UnknownDialog481;
}
