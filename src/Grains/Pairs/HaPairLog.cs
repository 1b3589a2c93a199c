using Microsoft.Extensions.Logging;
using OrleansProxy.Grains.Diagnostics;

namespace OrleansProxy.Grains.Pairs;

internal static partial class HaPairLog
{
    [LoggerMessage(EventId = GrainsEventIds.Switchover, Level = LogLevel.Warning,
        Message = "Pair {Pair} switched over from {From} to {To} ({Reason}): {Detail}")]
    public static partial void Switchover(ILogger logger, string pair, string from, string to, SwitchoverReason reason, string detail);

    [LoggerMessage(EventId = GrainsEventIds.MemberServing, Level = LogLevel.Information,
        Message = "Pair {Pair}: {Role} {Member} is serving")]
    public static partial void MemberServing(ILogger logger, string pair, MemberRole role, string member);

    [LoggerMessage(EventId = GrainsEventIds.MemberNotServing, Level = LogLevel.Information,
        Message = "Pair {Pair}: {Role} {Member} is alive but not serving: its probes are answered {Status}")]
    public static partial void MemberNotServing(ILogger logger, string pair, MemberRole role, string member, int status);

    [LoggerMessage(EventId = GrainsEventIds.ProbeBurst, Level = LogLevel.Debug,
        Message = "Pair {Pair}: traffic to {Member} hints at trouble ({Hint}); probing both members every {Interval} for {Duration}")]
    public static partial void ProbeBurst(ILogger logger, string pair, string member, string hint, TimeSpan interval, TimeSpan duration);

    [LoggerMessage(EventId = GrainsEventIds.MemberDown, Level = LogLevel.Warning,
        Message = "Pair {Pair}: {Role} {Member} is down after {Failures} unanswered probes")]
    public static partial void MemberDown(ILogger logger, string pair, MemberRole role, string member, int failures);

    [LoggerMessage(EventId = GrainsEventIds.PairUnavailable, Level = LogLevel.Error,
        Message = "Pair {Pair} is unavailable: active {Role} {Member} does not serve ({State}) and neither does the other member; requests wait")]
    public static partial void PairUnavailable(ILogger logger, string pair, MemberRole role, string member, string state);

    [LoggerMessage(EventId = GrainsEventIds.PairRecovered, Level = LogLevel.Information,
        Message = "Pair {Pair} is available: {Role} {Member} is active and serving")]
    public static partial void PairRecovered(ILogger logger, string pair, MemberRole role, string member);

    [LoggerMessage(EventId = GrainsEventIds.ProbeFailed,
        Message = "Pair {Pair}: probing {Member} failed; counted as no answer")]
    public static partial void ProbeFailed(ILogger logger, LogLevel level, Exception exception, string pair, string member);

    [LoggerMessage(EventId = GrainsEventIds.UnknownPair, Level = LogLevel.Warning,
        Message = "No HA pair named {Pair} is configured")]
    public static partial void UnknownPair(ILogger logger, string pair);

    [LoggerMessage(EventId = GrainsEventIds.ReminderLookupFailed, Level = LogLevel.Warning,
        Message = "Pair {Pair}: could not look up its keep-alive reminder; probing resumes on the next reminder tick")]
    public static partial void ReminderLookupFailed(ILogger logger, Exception exception, string pair);

    [LoggerMessage(EventId = GrainsEventIds.ProbingStarted, Level = LogLevel.Information,
        Message = "Pair {Pair}: probing {Primary} (primary) and {Backup} (backup) every {Interval}; serving answers: {ServingCodes}")]
    public static partial void ProbingStarted(ILogger logger, string pair, string primary, string backup, TimeSpan interval, ServingCodes servingCodes);

    [LoggerMessage(EventId = GrainsEventIds.MembersReconfigured, Level = LogLevel.Warning,
        Message = "Pair {Pair}: members are now {Primary} (primary) and {Backup} (backup); its health and history start afresh")]
    public static partial void MembersReconfigured(ILogger logger, string pair, string primary, string backup);

    [LoggerMessage(EventId = GrainsEventIds.ProbeReconfigured, Level = LogLevel.Information,
        Message = "Pair {Pair}: probing now every {Interval} with a {Timeout} time-out, down after {FailuresToDown} misses; health and active member kept")]
    public static partial void ProbeReconfigured(ILogger logger, string pair, TimeSpan interval, TimeSpan timeout, int failuresToDown);

    [LoggerMessage(EventId = GrainsEventIds.PairRetired, Level = LogLevel.Information,
        Message = "Pair {Pair} is no longer configured: probing stopped")]
    public static partial void PairRetired(ILogger logger, string pair);
}
