
namespace OrleansProxy.Silo.FrontEnd;

internal static partial class WarmUpLog
{
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
