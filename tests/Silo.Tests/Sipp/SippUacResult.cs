namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// The outcome of a sipp UAC run. sipp exits 0 when every call succeeded and 1 when any
/// failed (also for a scenario it cannot load), 254 when it cannot bind its port.
/// <paramref name="TimedOut"/> means it was killed at its time limit; <paramref name="Statistics"/>
/// and <paramref name="Messages"/> are then those of its last one-second row.
/// <paramref name="Transcript"/> holds the command line, the tail of the statistics screen,
/// stderr and the unexpected-message log, for assertion messages.
/// </summary>
internal sealed record SippUacResult(
    int ExpectedCalls,
    int ExitCode,
    bool TimedOut,
    SippCallStatistics? Statistics,
    SippMessageCounts? Messages,
    string Transcript)
{
    public bool AllCallsSucceeded =>
        ExitCode == 0
        && !TimedOut
        && Statistics is { Failed: 0 } statistics
        && statistics.Successful == ExpectedCalls;

    public override string ToString() =>
        $"sipp UAC: exit code {ExitCode}, timed out: {TimedOut}, expected {ExpectedCalls} calls, "
        + $"statistics: {Statistics?.ToString() ?? "none written"}\n"
        + $"messages: {Messages?.ToString() ?? "none written"}\n{Transcript}";
}
