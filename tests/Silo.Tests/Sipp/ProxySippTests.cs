using System.Globalization;
using OrleansProxy.Grains;
using Xunit.Abstractions;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// End to end with real SIP peers: a sipp UAC calls through the whole proxy node (silo, pair grain
/// probing with OPTIONS, UDP front-end) to two sipp UAS, the pair's primary and backup, and the
/// tests kill or freeze the primary to watch the calls move to the backup.
/// </summary>
public sealed class ProxySippTests
{
    private const string NotInstalled = "sipp is not installed (Debian package sip-tester).";
    private const int Calls = 30;
    private const int CallsPerSecond = 15;

    // Steady load across a freeze: 20 calls/s for 6 s.
    private const int LoadCalls = 120;
    private const int LoadCallsPerSecond = 20;

    // The freeze comes once the primary has taken this many calls of the steady load.
    private const int InvitesBeforeFreeze = 20;

    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    // Calls stuck on the frozen primary fail after this, which bounds the steady-load run.
    private static readonly TimeSpan LoadReceiveTimeout = TimeSpan.FromSeconds(5);

    // Far above what probing every 200 ms with two misses to down needs; only a gross regression trips it.
    private static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(15);

    // How long the returned primary must keep answering without the pair failing back.
    private static readonly TimeSpan StandbyObservation = TimeSpan.FromSeconds(1);

    private readonly ITestOutputHelper _output;

    public ProxySippTests(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    [SkippableFact]
    public async Task RunUac_BothMembersUp_AllCallsCompleteOnPrimary()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        await using var pair = await ProxiedSippPair.StartAsync();

        var result = await pair.RunCallsAsync(Calls, CallsPerSecond, ReceiveTimeout);

        Assert.True(result.AllCallsSucceeded, $"{result}\n--- primary UAS ---\n{pair.Primary.Describe()}\n--- node log ---\n{pair.Node.Log}");
        await AssertSawEveryDialogAsync(pair.Primary, Calls);
        await AssertSawNoDialogAsync(pair.Backup);
    }

    [SkippableFact]
    public async Task RunUac_PrimaryKilled_AllCallsCompleteOnBackup()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        await using var pair = await ProxiedSippPair.StartAsync();

        var killedAt = DateTimeOffset.UtcNow;
        await pair.Primary.StopAsync();
        var status = await pair.Node.WaitForPairAsync(IsOnBackup, "the backup to be active after the primary was killed");
        var result = await pair.RunCallsAsync(Calls, CallsPerSecond, ReceiveTimeout);

        var detection = Report("kill", status, killedAt);
        Assert.True(result.AllCallsSucceeded, $"{result}\n--- backup UAS ---\n{pair.Backup.Describe()}\n--- node log ---\n{pair.Node.Log}");
        await AssertSawEveryDialogAsync(pair.Backup, Calls);
        Assert.InRange(detection, TimeSpan.Zero, DetectionBound);
    }

    [SkippableFact]
    public async Task RunUac_PrimaryFrozenUnderLoad_NewCallsCompleteOnBackupAndPrimaryReturnsAsStandby()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        await using var pair = await ProxiedSippPair.StartAsync();

        var load = pair.RunCallsAsync(LoadCalls, LoadCallsPerSecond, LoadReceiveTimeout);
        var beforeFreeze = await ProxiedSippPair.CountsWhenAsync(pair.Primary, counts => counts.Received("INVITE") >= InvitesBeforeFreeze);
        var frozenAt = DateTimeOffset.UtcNow;
        pair.Primary.Freeze();
        var switched = await pair.Node.WaitForPairAsync(IsOnBackup, "the backup to be active after the primary froze");
        var loadResult = await load;
        var afterSwitch = await pair.RunCallsAsync(Calls, CallsPerSecond, ReceiveTimeout);
        var resumedAt = DateTimeOffset.UtcNow;
        pair.Primary.Resume();
        var returned = await pair.Node.WaitForPairAsync(
            status => status.Primary.LastAnsweredAt > resumedAt + StandbyObservation,
            "the resumed primary to answer probes for a while");

        var detection = Report("freeze", switched, frozenAt);
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"steady load across the freeze: {loadResult.Statistics?.Successful} of {LoadCalls} calls succeeded, {loadResult.Statistics?.Failed} failed (primary had {beforeFreeze?.Received("INVITE")} INVITEs at the freeze)"));
        _output.WriteLine($"steady-load UAC messages: {loadResult.Messages}");
        _output.WriteLine($"backup UAS calls: {pair.Backup.ReadStatistics()}, messages: {pair.Backup.ReadMessageCounts()}");
        Assert.True(beforeFreeze?.Received("INVITE") >= InvitesBeforeFreeze, $"primary before the freeze: {beforeFreeze}");
        Assert.InRange(detection, TimeSpan.Zero, DetectionBound);
        Assert.True(
            !loadResult.TimedOut && loadResult.Statistics is { } loadCounts && loadCounts.Successful + loadCounts.Failed == LoadCalls,
            $"every call of the steady load should end, failed or not\n{loadResult}");
        Assert.True(afterSwitch.AllCallsSucceeded, $"{afterSwitch}\n--- backup UAS ---\n{pair.Backup.Describe()}\n--- node log ---\n{pair.Node.Log}");
        Assert.Equal(MemberRole.Backup, returned.ActiveRole);
        Assert.True(ProxiedSippPair.AnsweredLastProbe(returned.Primary), $"primary after resume: {returned.Primary}");
        Assert.Single(returned.History);
    }

    private static bool IsOnBackup(PairStatus status) =>
        status is { Available: true, ActiveRole: MemberRole.Backup } && status.History.Length > 0;

    // The grain stamps a switchover after the probe round that found the primary down: kill or freeze to
    // that stamp is what a user agent waits before its new transactions reach the backup.
    private TimeSpan Report(string fault, PairStatus status, DateTimeOffset faultAt)
    {
        var switchover = status.History[^1];
        var detection = switchover.At - faultAt;
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"failover detection after {fault}: {detection.TotalMilliseconds:F0} ms ({switchover.Reason}: {switchover.Detail})"));
        return detection;
    }

    private static async Task AssertSawEveryDialogAsync(SippProcess uas, int dialogs)
    {
        var counts = await ProxiedSippPair.CountsWhenAsync(uas, counts => counts.Received("BYE") >= dialogs);
        var statistics = uas.ReadStatistics();
        Assert.True(
            counts is not null
                && counts.Received("INVITE") == dialogs
                && counts.Received("ACK") == dialogs
                && counts.Received("BYE") == dialogs
                && statistics is { Failed: 0 },
            $"UAS messages: {counts}\nUAS calls: {statistics}\n{uas.Describe()}");
    }

    private static async Task AssertSawNoDialogAsync(SippProcess uas)
    {
        var counts = await ProxiedSippPair.CountsWhenAsync(uas, _ => true);
        Assert.True(
            counts is not null
                && counts.Received("INVITE") == 0
                && counts.Received("ACK") == 0
                && counts.Received("BYE") == 0,
            $"UAS messages: {counts}\n{uas.Describe()}");
    }
}
