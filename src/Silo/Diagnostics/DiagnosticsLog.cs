namespace OrleansProxy.Silo.Diagnostics;

internal static partial class DiagnosticsLog
{
    [LoggerMessage(EventId = SiloEventIds.PairStatusPollFailed, Level = LogLevel.Debug,
        Message = "Reading the pairs' status for the metrics failed; the gauges keep the previous values")]
    public static partial void PairStatusPollFailed(this ILogger logger, Exception exception);
}
