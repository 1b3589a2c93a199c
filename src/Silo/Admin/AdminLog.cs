namespace OrleansProxy.Silo.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(EventId = SiloEventIds.OperatorSwitchover, Level = LogLevel.Warning,
        Message = "Switchover of pair {Pair} requested by {RequestedBy}: {ActiveMember} is now active")]
    public static partial void OperatorSwitchover(this ILogger logger, string pair, string requestedBy, string activeMember);

    [LoggerMessage(EventId = SiloEventIds.SwitchoverRefused, Level = LogLevel.Warning,
        Message = "Switchover of pair {Pair} requested by {RequestedBy} was refused: {Reason}")]
    public static partial void SwitchoverRefused(this ILogger logger, string pair, string requestedBy, string reason);
}
