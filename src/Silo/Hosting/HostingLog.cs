namespace OrleansProxy.Silo.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = SiloEventIds.PairStarted, Level = LogLevel.Information,
        Message = "Pair {Pair} started: primary {Primary}, backup {Backup}")]
    public static partial void PairStarted(this ILogger logger, string pair, string primary, string backup);

    [LoggerMessage(EventId = SiloEventIds.HostFailed, Level = LogLevel.Critical,
        Message = "orleans-proxy stopped on an error")]
    public static partial void HostFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = SiloEventIds.DrainStarted, Level = LogLevel.Information,
        Message = "Draining: requests outside a dialog are refused, waiting up to {DrainMs} ms for {InFlight} transactions in flight or awaiting their answer")]
    public static partial void DrainStarted(this ILogger logger, int inFlight, long drainMs);

    [LoggerMessage(EventId = SiloEventIds.DrainFinished, Level = LogLevel.Information,
        Message = "Drained: the {InFlight} transactions in flight at SIGTERM have their answers")]
    public static partial void DrainFinished(this ILogger logger, int inFlight);

    [LoggerMessage(EventId = SiloEventIds.DrainTimedOut, Level = LogLevel.Warning,
        Message = "Drain time of {DrainMs} ms is over with {InFlight} transactions still in flight; stopping anyway")]
    public static partial void DrainTimedOut(this ILogger logger, int inFlight, long drainMs);

    [LoggerMessage(EventId = SiloEventIds.HotPathWarmedUp, Level = LogLevel.Information,
        Message = "Warmed up the SIP path with {Calls} synthetic calls in {ElapsedMs} ms; none left the process")]
    public static partial void HotPathWarmedUp(this ILogger logger, int calls, long elapsedMs);

    [LoggerMessage(EventId = SiloEventIds.HotPathWarmUpIncomplete, Level = LogLevel.Warning,
        Message = "Warm-up: {Completed} of {Calls} synthetic calls went through the SIP path as a real call would; the first real calls may pay for the rest")]
    public static partial void HotPathWarmUpIncomplete(this ILogger logger, int completed, int calls);

    [LoggerMessage(EventId = SiloEventIds.HotPathWarmUpFailed, Level = LogLevel.Warning,
        Message = "Warm-up of the SIP path failed; the node starts without it, and the first real calls pay for JIT compilation")]
    public static partial void HotPathWarmUpFailed(this ILogger logger, Exception exception);
}
