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
}
