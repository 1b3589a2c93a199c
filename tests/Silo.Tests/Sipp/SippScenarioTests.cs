using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// Our sipp scenarios and their runner against each other, without a proxy: the baseline
/// that the end-to-end tests through the proxy build on.
/// </summary>
public sealed class SippScenarioTests
{
    private const string NotInstalled = "sipp is not installed (Debian package sip-tester).";
    private const string Ok = "SIP/2.0 200 OK";
    private const int Calls = 20;
    private const int CallsPerSecond = 20;
    private const int Probes = 10;

    private static readonly TimeSpan UasLifetime = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan UacTimeLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CountsTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CountsPollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FrozenSilence = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public async Task RunUac_AgainstUasDirectly_AllCallsSucceed()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        using var uas = await SippProcess.StartUasAsync(FreePort.Udp(), UasLifetime, CancellationToken.None);

        var result = await SippProcess.RunUacAsync(
            FreePort.Udp(), uas.EndPoint, Calls, CallsPerSecond, UacTimeLimit, CancellationToken.None);

        Assert.True(result.AllCallsSucceeded, result.ToString());
        await AssertUasSawEveryDialogAsync(uas);
    }

    [SkippableFact]
    public async Task StartUas_OptionsWhileCallsRun_AnswersEveryProbeWith200()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        using var uas = await SippProcess.StartUasAsync(FreePort.Udp(), UasLifetime, CancellationToken.None);
        using var prober = new SipOptionsClient();
        var options = new SippUacOptions(FreePort.Udp(), uas.EndPoint, Calls, CallsPerSecond, UacTimeLimit)
        {
            CallDuration = TimeSpan.FromSeconds(1),
        };

        var calls = SippProcess.RunUacAsync(options, CancellationToken.None);
        var statusLines = new List<string?>(Probes);
        for (var probe = 0; probe < Probes; probe++)
        {
            var answer = await prober.ProbeAsync(uas.EndPoint, AnswerTimeout, CancellationToken.None);
            statusLines.Add(answer is null ? null : SipOptionsClient.StatusLine(answer));
            await Task.Delay(ProbeInterval);
        }

        var result = await calls;

        Assert.All(statusLines, statusLine => Assert.Equal(Ok, statusLine));
        Assert.True(result.AllCallsSucceeded, result.ToString());
        await AssertUasSawEveryDialogAsync(uas);
    }

    [SkippableFact]
    public async Task Freeze_OptionsSentWhileFrozen_AnsweredOnlyAfterResume()
    {
        Skip.IfNot(SippProcess.IsInstalled, NotInstalled);
        using var uas = await SippProcess.StartUasAsync(FreePort.Udp(), UasLifetime, CancellationToken.None);
        using var prober = new SipOptionsClient();

        uas.Freeze();
        var callId = await prober.SendAsync(uas.EndPoint, CancellationToken.None);
        var answerWhileFrozen = await prober.ReceiveAsync(callId, FrozenSilence, CancellationToken.None);
        uas.Resume();
        var answerAfterResume = await prober.ReceiveAsync(callId, AnswerTimeout, CancellationToken.None);

        Assert.Null(answerWhileFrozen);
        Assert.NotNull(answerAfterResume);
        Assert.Equal(Ok, SipOptionsClient.StatusLine(answerAfterResume));
    }

    // The UAS writes its counts once a second, so the last BYEs show up to a second late.
    private static async Task AssertUasSawEveryDialogAsync(SippProcess uas)
    {
        var counts = uas.ReadMessageCounts();
        for (var poll = 0; poll < CountsTimeout / CountsPollInterval && counts?.Received("BYE") != Calls; poll++)
        {
            await Task.Delay(CountsPollInterval);
            counts = uas.ReadMessageCounts();
        }

        var statistics = uas.ReadStatistics();
        Assert.True(
            counts is not null
                && counts.Received("INVITE") == Calls
                && counts.Received("ACK") == Calls
                && counts.Received("BYE") == Calls
                && statistics is { Failed: 0 },
            $"UAS messages: {counts}\nUAS calls: {statistics}\n{uas.Describe()}");
    }
}
