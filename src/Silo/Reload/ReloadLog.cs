namespace OrleansProxy.Silo.Reload;

internal static partial class ReloadLog
{
    [LoggerMessage(EventId = SiloEventIds.ReloadApplied, Level = LogLevel.Information,
        Message = "Configuration reloaded ({TriggeredBy}) in {Milliseconds:0.0} ms: pairs added {Added}; removed {Removed}; members changed {MembersChanged}; probing changed {ProbeChanged}")]
    public static partial void ReloadApplied(
        this ILogger logger, string triggeredBy, string added, string removed, string membersChanged, string probeChanged, double milliseconds);

    [LoggerMessage(EventId = SiloEventIds.ReloadNeedsRestart, Level = LogLevel.Warning,
        Message = "Configuration reloaded, but these keys changed and take effect only at a restart: {Keys}")]
    public static partial void ReloadNeedsRestart(this ILogger logger, string keys);

    [LoggerMessage(EventId = SiloEventIds.ReloadFault, Level = LogLevel.Error,
        Message = "config error: {Fault}")]
    public static partial void ReloadFault(this ILogger logger, string fault);

    [LoggerMessage(EventId = SiloEventIds.ReloadRefused, Level = LogLevel.Error,
        Message = "Configuration reload ({TriggeredBy}) refused with {Count} fault(s) after {Milliseconds:0.0} ms; the running configuration stays")]
    public static partial void ReloadRefused(this ILogger logger, string triggeredBy, int count, double milliseconds);

    [LoggerMessage(EventId = SiloEventIds.ReloadRollbackFailed, Level = LogLevel.Warning,
        Message = "Pair {Pair}, started by a refused reload, could not be stopped; its reminder stops it later")]
    public static partial void ReloadRollbackFailed(this ILogger logger, string pair, Exception exception);

    [LoggerMessage(EventId = SiloEventIds.ReloadFailed, Level = LogLevel.Error,
        Message = "Configuration reload ({TriggeredBy}) failed")]
    public static partial void ReloadFailed(this ILogger logger, string triggeredBy, Exception exception);

    [LoggerMessage(EventId = SiloEventIds.ReloadPairNotReconfigured, Level = LogLevel.Error,
        Message = "Configuration reloaded, but pair {Pair} could not take its new settings; it keeps its old ones until it is activated again or the next reload")]
    public static partial void ReloadPairNotReconfigured(this ILogger logger, string pair, Exception exception);
}
