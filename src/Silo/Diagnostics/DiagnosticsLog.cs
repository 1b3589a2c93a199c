namespace OrleansProxy.Silo.Diagnostics;

internal static partial class DiagnosticsLog
{
    [LoggerMessage(EventId = SiloEventIds.PairStatusPollFailed, Level = LogLevel.Warning,
        Message = "Reading the pairs' status for the metrics failed; the pair gauges keep their last values until it works again")]
    public static partial void PairStatusPollFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = SiloEventIds.PairStatusPollRecovered, Level = LogLevel.Information,
        Message = "Reading the pairs' status for the metrics works again")]
    public static partial void PairStatusPollRecovered(this ILogger logger);
}
