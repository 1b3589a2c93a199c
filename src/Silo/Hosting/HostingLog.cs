namespace OrleansProxy.Silo.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = SiloEventIds.PairStarted, Level = LogLevel.Information,
        Message = "Pair {Pair} started: primary {Primary}, backup {Backup}")]
    public static partial void PairStarted(this ILogger logger, string pair, string primary, string backup);

    [LoggerMessage(EventId = SiloEventIds.HostFailed, Level = LogLevel.Critical,
        Message = "orleans-proxy stopped on an error")]
    public static partial void HostFailed(this ILogger logger, Exception exception);
}
