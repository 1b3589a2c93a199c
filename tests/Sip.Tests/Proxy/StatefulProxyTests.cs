using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Tests.Proxy;

public sealed class StatefulProxyTests : IDisposable
{
    private static readonly TimeSpan NoResponse = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider time = new();
    private readonly TestTransport transport = new();
    private readonly FailoverResolver resolver = new();
    private readonly SipMetrics metrics = new();
    private readonly StatefulProxy proxy;

    public StatefulProxyTests()
    {
        proxy = New(maxTransactions: 100);
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Invite_AnsweredTryingAtOnceAndForwardedWithItsOwnBranch()
    {
        await FromCallerAsync(Messages.Request("INVITE"));

        var sent = transport.Take();
        Assert.Equal(2, sent.Count);
        Assert.Equal(("SIP/2.0 100 Trying", Messages.Caller), (Messages.FirstLine(sent[0].Text), sent[0].Destination));
        var (invite, destination) = sent[1];
        Assert.Equal(Messages.Primary, destination);
        Assert.StartsWith("INVITE sip:service@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKop", invite, StringComparison.Ordinal);
        Assert.Contains("Max-Forwards: 69\n", invite, StringComparison.Ordinal);
        Assert.Contains("Record-Route: <sip:sip-proxy.example.com;lr>\n", invite, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_RetransmittedByCaller_NotForwardedAgainLastResponseResent()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var forwarded = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(forwarded, 180, "Ringing"));
        transport.Take();

        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Equal(["SIP/2.0 180 Ringing -> 6000"], transport.TakeLines());
        Assert.Single(resolver.Requests);
        Assert.Equal(1, proxy.Table.ServerCount);
    }

    [Fact]
    public async Task Responses_TryingAbsorbedProvisionalAndFinalForwardedWithoutOurVia()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var forwarded = ForwardedTo(Messages.Primary);

        await FromAsync(Messages.Primary, Messages.Response(forwarded, 100, "Trying"));
        await FromAsync(Messages.Primary, Messages.Response(forwarded, 180, "Ringing"));
        await FromAsync(Messages.Primary, Messages.Response(forwarded, 200, "OK"));

        var sent = transport.Take();
        Assert.Equal(["SIP/2.0 180 Ringing -> 6000", "SIP/2.0 200 OK -> 6000"], Lines(sent));
        Assert.DoesNotContain("127.0.0.1:5060;branch", sent[1].Text, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds", sent[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_PrimarySilentPastNoResponseTimeout_HintReportedAndRetransmittedToThePrimaryOnly()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);

        time.Advance(NoResponse);
        time.Advance(2 * NoResponse);
        time.Advance(4 * NoResponse);

        var sent = transport.Take();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, copy => Assert.Equal((first, Messages.Primary), copy));
        Assert.Equal((Messages.Primary, TransactionFailure.NoResponse), Assert.Single(resolver.Hints));
        Assert.Empty(resolver.Reports);
    }

    [Fact]
    public async Task Invite_PrimaryAnswersAfterNoResponseTimeout_CallCompletesThroughThePrimary()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        time.Advance(NoResponse);
        transport.Take();

        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK"));

        Assert.Equal(["SIP/2.0 180 Ringing -> 6000", "SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        Assert.Single(resolver.Hints);
        Assert.Empty(resolver.Reports);
        time.Advance(TransactionTimers.Default.TransactionTimeout);
        Assert.Empty(transport.Take());
    }

    [Fact]
    public async Task PrimaryAnswers503_AckedAndRetriedOnBackup()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);

        await FromAsync(Messages.Primary, Messages.Response(first, 503, "Service Unavailable"));

        var sent = Lines(transport.Take());
        Assert.Equal("ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", sent[0]);
        Assert.Equal("INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5080", sent[1]);
        Assert.Equal((Messages.Primary, TransactionFailure.ServiceUnavailable), Assert.Single(resolver.Reports));
    }

    [Fact]
    public async Task PrimaryUnreachable_RetriedOnBackup()
    {
        transport.Unreachable[Messages.Primary] = true;

        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5080"], transport.TakeLines());
        Assert.Equal((Messages.Primary, TransactionFailure.SendFailed), Assert.Single(resolver.Reports));
    }

    [Fact]
    public async Task PrimaryConnectionLostAfterRinging_RetriedOnBackupAsASendFailure()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        transport.Take();

        proxy.OnConnectionLost(transport, Messages.Primary);

        Assert.Equal(["INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5080"], transport.TakeLines());
        Assert.Equal((Messages.Primary, TransactionFailure.SendFailed), Assert.Single(resolver.Reports));
    }

    [Fact]
    public async Task SendFailsAndTheConnectionIsReportedLost_RetriedOnBackupOnce()
    {
        transport.Unreachable[Messages.Primary] = true;
        transport.OnSendFailed = destination => proxy.OnConnectionLost(transport, destination);

        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5080"], transport.TakeLines());
        Assert.Equal((Messages.Primary, TransactionFailure.SendFailed), Assert.Single(resolver.Reports));
    }

    [Fact]
    public async Task ConnectionLostAfterTheFinalResponse_ChangesNothing()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK"));
        transport.Take();

        proxy.OnConnectionLost(transport, Messages.Primary);

        Assert.Empty(transport.Take());
        Assert.Empty(resolver.Reports);
    }

    [Fact]
    public async Task PrimaryFoundDownAfterRinging_BranchCancelledAndRetriedOnBackup()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        transport.Take();

        proxy.OnHopDown(Messages.Primary);

        var sent = transport.Take();
        Assert.Equal(["CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5080"], Lines(sent));
        Assert.Equal(Messages.TopBranch(first), Messages.TopBranch(sent[0].Text));
        Assert.NotEqual(Messages.TopBranch(first), Messages.TopBranch(sent[1].Text));
        Assert.Equal((Messages.Primary, TransactionFailure.HopDown), Assert.Single(resolver.Reports));
    }

    [Fact]
    public async Task PrimaryFoundDownAfterRinging_Its487AckedNotForwardedAndTheBackupAnswersTheCaller()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        transport.Take();
        proxy.OnHopDown(Messages.Primary);
        var sent = transport.Take();
        var (cancel, retry) = (sent[0].Text, sent[1].Text);

        await FromAsync(Messages.Primary, Messages.Response(cancel, 200, "OK"));
        await FromAsync(Messages.Primary, Messages.Response(first, 487, "Request Terminated"));
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());

        await FromAsync(Messages.Backup, Messages.Response(retry, 180, "Ringing", toTag: "bak1"));
        await FromAsync(Messages.Backup, Messages.Response(retry, 200, "OK", toTag: "bak1"));
        Assert.Equal(["SIP/2.0 180 Ringing -> 6000", "SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task Invite_PrimaryFoundDownBeforeAnswering_MovesToBackupWithoutCancelAndKeepsTheOldBranch()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);

        proxy.OnHopDown(Messages.Primary);

        var (retry, destination) = Assert.Single(transport.Take());
        Assert.Equal(("INVITE sip:service@127.0.0.1:5060 SIP/2.0", Messages.Backup), (Messages.FirstLine(retry), destination));
        Assert.NotEqual(Messages.TopBranch(first), Messages.TopBranch(retry));
        Assert.Equal((Messages.Primary, TransactionFailure.HopDown), Assert.Single(resolver.Reports));
        Assert.Equal(2, proxy.Table.ClientCount);
    }

    [Fact]
    public async Task AbandonedInviteBranch_AnswersRinging_CancelledOnceAndTheCallerHearsNothing()
    {
        var (first, _) = await MovedToBackupAsync();

        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));

        var (cancel, destination) = Assert.Single(transport.Take());
        Assert.Equal(("CANCEL sip:service@127.0.0.1:5060 SIP/2.0", Messages.Primary), (Messages.FirstLine(cancel), destination));
        Assert.Equal(Messages.TopBranch(first), Messages.TopBranch(cancel));
        await FromAsync(Messages.Primary, Messages.Response(first, 183, "Session Progress"));
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        Assert.Empty(transport.Take());

        await FromAsync(Messages.Primary, Messages.Response(cancel, 200, "OK"));
        await FromAsync(Messages.Primary, Messages.Response(first, 487, "Request Terminated"));
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
    }

    [Fact]
    public async Task AbandonedInviteBranch_AnswersTrying_NotCancelled()
    {
        var (first, _) = await MovedToBackupAsync();

        await FromAsync(Messages.Primary, Messages.Response(first, 100, "Trying"));

        Assert.Empty(transport.Take());
    }

    [Fact]
    public async Task AbandonedInviteBranch_Answers486_AckedByTheClientTransactionAndTheCallerHearsNothing()
    {
        var (first, retry) = await MovedToBackupAsync();

        await FromAsync(Messages.Primary, Messages.Response(first, 486, "Busy Here"));

        var (ack, destination) = Assert.Single(transport.Take());
        Assert.Equal(("ACK sip:service@127.0.0.1:5060 SIP/2.0", Messages.Primary), (Messages.FirstLine(ack), destination));
        Assert.Equal(Messages.TopBranch(first), Messages.TopBranch(ack));
        await FromAsync(Messages.Primary, Messages.Response(first, 486, "Busy Here"));
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        await FromAsync(Messages.Backup, Messages.Response(retry, 200, "OK", toTag: "bak1"));
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task AbandonedInviteBranch_Answers200_TheCallerGetsItWithoutOurVia()
    {
        var (first, _) = await MovedToBackupAsync();

        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK", toTag: "old1"));

        var (ok, destination) = Assert.Single(transport.Take());
        Assert.Equal(("SIP/2.0 200 OK", Messages.Caller), (Messages.FirstLine(ok), destination));
        Assert.Contains(";tag=old1\n", ok, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:5060;branch", ok, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds", ok, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(486, "Busy Here")]
    [InlineData(200, "OK")]
    public async Task AbandonedInviteBranch_Answers200AfterTheCallerHadTheBackupsFinal_TheCallerGetsItToo(int status, string reason)
    {
        var (first, retry) = await MovedToBackupAsync();
        await FromAsync(Messages.Backup, Messages.Response(retry, status, reason, toTag: "bak1"));
        Assert.Contains($"SIP/2.0 {status} {reason} -> 6000", transport.TakeLines());

        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK", toTag: "old1"));

        var (ok, destination) = Assert.Single(transport.Take());
        Assert.Equal(("SIP/2.0 200 OK", Messages.Caller), (Messages.FirstLine(ok), destination));
        Assert.Contains(";tag=old1\n", ok, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INVITE")]
    [InlineData("MESSAGE")]
    public async Task HopDown_AbandonedBranch_NoMoreRetransmissionsToTheDownHop(string method)
    {
        await FromCallerAsync(Messages.Request(method));
        transport.Take();

        proxy.OnHopDown(Messages.Primary);
        foreach (var gap in new[] { 500, 1000, 2000, 4000, 8000, 16000 })
        {
            time.Advance(TimeSpan.FromMilliseconds(gap));
        }

        var sent = transport.Take();
        Assert.DoesNotContain(sent, message => message.Destination.Equals(Messages.Primary));
        Assert.True(sent.FindAll(message => message.Destination.Equals(Messages.Backup) && message.Text.StartsWith(method, StringComparison.Ordinal)).Count > 1);
    }

    [Fact]
    public async Task HopDown_AbandonedBranchThatNeverAnswers_LeavesTheTableOnTimerB()
    {
        var (_, retry) = await MovedToBackupAsync();
        await FromAsync(Messages.Backup, Messages.Response(retry, 200, "OK", toTag: "bak1"));

        time.Advance(TransactionTimers.Default.TransactionTimeout);

        Assert.Equal(0, proxy.Table.ClientCount);
    }

    [Fact]
    public async Task AbandonedInviteBranch_RingsAfterHopDownAndNeverAnswers_StillLeavesTheTable()
    {
        var (first, retry) = await MovedToBackupAsync();
        await FromAsync(Messages.Backup, Messages.Response(retry, 200, "OK", toTag: "bak1"));
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        var (cancel, _) = Assert.Single(transport.Take(), message => message.Text.StartsWith("CANCEL ", StringComparison.Ordinal));
        await FromAsync(Messages.Primary, Messages.Response(cancel, 200, "OK"));

        time.Advance(TransactionTimers.Default.TransactionTimeout);
        time.Advance(TransactionTimers.Default.TimerC);

        Assert.Equal(0, proxy.Table.ClientCount);
    }

    [Fact]
    public async Task PrimaryFoundDownAfterRingingWhileTheResolverWaits_Its487NotForwardedAndTheRetryAnswersTheCaller()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        transport.Take();
        var gate = new TaskCompletionSource();
        resolver.ReportGate = gate;
        proxy.OnHopDown(Messages.Primary);
        var (cancel, _) = Assert.Single(transport.Take());

        await FromAsync(Messages.Primary, Messages.Response(cancel, 200, "OK"));
        await FromAsync(Messages.Primary, Messages.Response(first, 487, "Request Terminated"));
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());

        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.OnSent = (_, destination) =>
        {
            if (destination.Equals(Messages.Backup))
            {
                retried.TrySetResult();
            }
        };
        gate.SetResult();
        await retried.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var retry = ForwardedTo(Messages.Backup);
        await FromAsync(Messages.Backup, Messages.Response(retry, 200, "OK", toTag: "bak1"));
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task BothMembersFoundDown_TheFirstBranchAnswers200_TheCallerGetsIt()
    {
        var (first, _) = await MovedToBackupAsync();
        proxy.OnHopDown(Messages.Backup);
        Assert.Contains("SIP/2.0 503 Service Unavailable (no server could take the request) -> 6000", transport.TakeLines());

        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK", toTag: "old1"));

        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task AbandonedInviteBranch_Answers200WhileTheBackupRings_TheBackupIsCancelled()
    {
        var (first, retry) = await MovedToBackupAsync();
        await FromAsync(Messages.Backup, Messages.Response(retry, 180, "Ringing", toTag: "bak1"));
        Assert.Equal(["SIP/2.0 180 Ringing -> 6000"], transport.TakeLines());

        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK", toTag: "old1"));

        Assert.Equal(["SIP/2.0 200 OK -> 6000", "CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5080"], transport.TakeLines());
    }

    [Fact]
    public async Task PrimaryFoundDownBeforeAnswering_RetriedOnBackupWithoutCancel()
    {
        await FromCallerAsync(Messages.Request("MESSAGE"));
        transport.Take();

        proxy.OnHopDown(Messages.Primary);

        Assert.Equal(["MESSAGE sip:service@127.0.0.1:5060 SIP/2.0 -> 5080"], transport.TakeLines());
        Assert.Equal((Messages.Primary, TransactionFailure.HopDown), Assert.Single(resolver.Reports));
    }

    [Fact]
    public async Task HopFoundDownAfterTheFinalResponse_ChangesNothing()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK"));
        transport.Take();

        proxy.OnHopDown(Messages.Primary);
        proxy.OnHopDown(Messages.Backup);

        Assert.Empty(transport.Take());
        Assert.Empty(resolver.Reports);
    }

    [Fact]
    public async Task UnansweredTransactions_CountedFromForwardingUntilTheFirstFinalResponse()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(first, 180, "Ringing"));
        Assert.Equal(1, proxy.UnansweredTransactions);

        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK"));
        await FromAsync(Messages.Primary, Messages.Response(first, 200, "OK"));

        Assert.Equal(0, proxy.UnansweredTransactions);
    }

    [Fact]
    public async Task UnansweredTransactions_OwnAnswerAfterBothMembersFailed_CountedOut()
    {
        transport.Unreachable[Messages.Primary] = true;
        transport.Unreachable[Messages.Backup] = true;

        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "SIP/2.0 503 Service Unavailable (no server could take the request) -> 6000"], transport.TakeLines());
        Assert.Equal(0, proxy.UnansweredTransactions);
    }

    [Fact]
    public async Task ResolutionTimesOutOnce_TriedAgainAndForwarded()
    {
        resolver.TimeOutsBeforeAnswer = 1;

        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
    }

    [Fact]
    public async Task ResolutionTimesOutTwice_Caller503()
    {
        resolver.TimeOutsBeforeAnswer = 2;

        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "SIP/2.0 503 Service Unavailable (routing failed) -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task Invite_PrimarySilentUntilTimerB_Caller408WithoutRetry()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        transport.Take();

        time.Advance(TransactionTimers.Default.TransactionTimeout);

        var sent = transport.TakeLines();
        Assert.Equal(["SIP/2.0 408 Request Timeout (no server answered) -> 6000"], sent.FindAll(line => line.EndsWith("-> 6000", StringComparison.Ordinal)));
        Assert.DoesNotContain(sent, line => line.EndsWith("-> 5080", StringComparison.Ordinal));
        Assert.Empty(resolver.Reports);
        Assert.Equal([TransactionFailure.NoResponse, TransactionFailure.TimedOut], resolver.Hints.Select(hint => hint.Hint));
    }

    [Fact]
    public async Task Primary503BackupSilent_TheBest503ReachesTheCallerAs500_Rfc3261Section16_7Step6()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 503, "Service Unavailable"));
        transport.Take();

        time.Advance(TransactionTimers.Default.TransactionTimeout);

        var (answer, _) = Assert.Single(transport.Take(), sent => sent.Destination.Equals(Messages.Caller));

        // A 503 would tell the caller that this proxy cannot serve; the server's refusal is its own (§16.7 step 6).
        Assert.StartsWith("SIP/2.0 500 ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Retry-After", answer, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:5060;branch", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonInvite_PrimarySilentUntilTimerF_NoAnswerToTheCallerAndNoTransactionLeft_Rfc4320Section4_2()
    {
        await FromCallerAsync(Messages.Request("BYE", toTag: "srv1"));
        transport.Take();

        time.Advance(TransactionTimers.Default.TransactionTimeout);

        // MUST NOT send 408 to a non-INVITE: the caller's own Timer F ends it, and a late 408 would only add noise.
        var sent = transport.TakeLines();
        Assert.NotEmpty(sent);
        Assert.All(sent, line => Assert.Equal("BYE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", line));
        Assert.Empty(resolver.Reports);

        // The caller's retransmissions are still absorbed until its own Timer F has ended them, then nothing stays.
        await FromCallerAsync(Messages.Request("BYE", toTag: "srv1"));
        Assert.Empty(transport.TakeLines());
        time.Advance(TransactionTimers.Default.TransactionTimeout);
        Assert.Equal(0, proxy.Table.ServerCount);
    }

    [Fact]
    public async Task NonInvite_PrimarySilentPastNoResponseTimeout_HintReportedAndRetransmittedUntilAnswered()
    {
        await FromCallerAsync(Messages.Request("BYE", toTag: "srv1"));
        var bye = ForwardedTo(Messages.Primary);

        foreach (var gap in new[] { 500, 1000, 2000, 4000, 4000 })
        {
            time.Advance(TimeSpan.FromMilliseconds(gap));
            Assert.Equal((bye, Messages.Primary), Assert.Single(transport.Take()));
        }

        Assert.Equal((Messages.Primary, TransactionFailure.NoResponse), Assert.Single(resolver.Hints));
        Assert.Empty(resolver.Reports);
        await FromAsync(Messages.Primary, Messages.Response(bye, 200, "OK"));
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        time.Advance(TransactionTimers.Default.T2);
        Assert.Empty(transport.Take());
    }

    [Fact]
    public async Task NonInvite_NoTryingFromProxyFinalForwarded()
    {
        await FromCallerAsync(Messages.Request("BYE", toTag: "srv1"));
        var bye = ForwardedTo(Messages.Primary);

        await FromAsync(Messages.Primary, Messages.Response(bye, 200, "OK"));

        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task Cancel_AfterProvisional_AnsweredAndPassedOnThen487Forwarded()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 180, "Ringing"));
        transport.Take();

        await FromCallerAsync(Messages.Request("CANCEL"));

        var sent = transport.Take();
        Assert.Equal(["SIP/2.0 200 OK -> 6000", "CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], Lines(sent));
        Assert.Equal(Messages.TopBranch(invite), Messages.TopBranch(sent[1].Text));
        await FromAsync(Messages.Primary, Messages.Response(sent[1].Text, 200, "OK"));
        await FromAsync(Messages.Primary, Messages.Response(invite, 487, "Request Terminated"));
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", "SIP/2.0 487 Request Terminated -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task Cancel_BeforeAnyProvisional_PassedOnWithTheFirstOne()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);

        await FromCallerAsync(Messages.Request("CANCEL"));
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());

        await FromAsync(Messages.Primary, Messages.Response(invite, 100, "Trying"));
        Assert.Equal(["CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
    }

    [Fact]
    public async Task Cancel_SilentPrimary_NotRetriedCaller487AtTimerB()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromCallerAsync(Messages.Request("CANCEL"));
        transport.Take();

        time.Advance(TransactionTimers.Default.TransactionTimeout);

        var sent = transport.TakeLines();
        Assert.Equal(["SIP/2.0 487 Request Terminated -> 6000"], sent.FindAll(line => line.EndsWith("-> 6000", StringComparison.Ordinal)));
        Assert.DoesNotContain(sent, line => line.EndsWith("-> 5080", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_Crossing200_AnsweredButNotPassedOn()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 200, "OK"));
        transport.Take();

        await FromCallerAsync(Messages.Request("CANCEL"));

        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task Cancel_MatchingNoTransaction_ForwardedStatelessly()
    {
        await FromCallerAsync(Messages.Request("CANCEL", branch: "z9hG4bKunknown"));

        Assert.Equal(["CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
    }

    [Fact]
    public async Task Ack_ForNonSuccessFinal_AbsorbedHopByHop()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 486, "Busy Here"));
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", "SIP/2.0 486 Busy Here -> 6000"], transport.TakeLines());

        await FromCallerAsync(Messages.Request("ACK", toTag: "srv1"));

        Assert.Empty(transport.Take());
    }

    [Fact]
    public async Task Ack_For2xx_ForwardedEndToEnd()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 200, "OK"));
        transport.Take();

        await FromCallerAsync(Messages.Request("ACK", branch: "z9hG4bKack2", toTag: "srv1"));

        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
    }

    [Fact]
    public async Task FinishedNonInvite_LingersOutsideTheLiveTable_ARetransmissionGetsTheLastResponse_Rfc3261Section17_2_2()
    {
        await FromCallerAsync(Messages.Request("BYE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 200, "OK"));
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        Assert.Equal((0, 0, 2), (proxy.Table.ServerCount, proxy.Table.ClientCount, proxy.Table.LingeringCount));

        await FromCallerAsync(Messages.Request("BYE"));

        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        Assert.Single(resolver.Requests);
        time.Advance(TransactionTimers.Default.TransactionTimeout);
        Assert.Equal(0, proxy.Table.LingeringCount);
    }

    [Fact]
    public async Task LingeringTransactions_DoNotTakeTheLiveCeiling_ANewRequestIsStillForwarded_Rfc3261Section17()
    {
        var small = New(maxTransactions: 10);
        for (var i = 0; i < 50; i++)
        {
            await small.HandleAsync(SipText.Wire(Messages.Request("MESSAGE", branch: $"z9hG4bKmessage{i}", cseq: i + 1)), Messages.Caller, transport, CancellationToken.None);
            await small.HandleAsync(SipText.Wire(Messages.Response(ForwardedTo(Messages.Primary), 200, "OK")), Messages.Primary, transport, CancellationToken.None);
        }

        transport.Take();
        Assert.Equal((0, 100), (small.Table.ServerCount, small.Table.LingeringCount));

        await small.HandleAsync(SipText.Wire(Messages.Request("INVITE")), Messages.Caller, transport, CancellationToken.None);

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        Assert.Equal(1, small.Table.ServerCount);
    }

    [Fact]
    public async Task Retransmitted2xxWhileAccepted_ForwardedByTheLingeringBranch_Rfc6026Section7_2()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 200, "OK"));
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        Assert.Equal((0, 0), (proxy.Table.ServerCount, proxy.Table.ClientCount));

        await FromAsync(Messages.Primary, Messages.Response(invite, 200, "OK"));
        await FromCallerAsync(Messages.Request("INVITE"));

        var sent = transport.Take();
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], Lines(sent));
        Assert.DoesNotContain("127.0.0.1:5060;branch", sent[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ack_ForNonSuccessFinal_RetransmittedAfterTheFirst_StillAbsorbedWhileConfirmed_Rfc3261Section17_2_1()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 486, "Busy Here"));
        transport.Take();
        await FromCallerAsync(Messages.Request("ACK", toTag: "srv1"));
        Assert.Equal(0, proxy.Table.ServerCount);

        await FromCallerAsync(Messages.Request("ACK", toTag: "srv1"));
        await FromCallerAsync(Messages.Request("INVITE"));

        Assert.Empty(transport.Take());
        Assert.Single(resolver.Requests);
    }

    [Fact]
    public async Task Cancel_AfterThe2xx_Answered200AndNotPassedOn_Rfc3261Section9_2()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        await FromAsync(Messages.Primary, Messages.Response(ForwardedTo(Messages.Primary), 200, "OK"));
        transport.Take();

        await FromCallerAsync(Messages.Request("CANCEL"));

        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task TimerC_AfterRinging_CancelsAndTheCalleesOwn487ReachesTheCaller_Rfc3261Section16_8()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 180, "Ringing"));
        transport.Take();

        time.Advance(TransactionTimers.Default.TimerC);

        Assert.Equal(["CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        await FromAsync(Messages.Primary, Messages.Response(invite, 487, "Request Terminated"));
        Assert.Contains("SIP/2.0 487 Request Terminated -> 6000", transport.TakeLines());
    }

    [Fact]
    public async Task TimerC_A2xxCrossesTheCancel_TheCallerGetsIt_Rfc6026Section7_2()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 180, "Ringing"));
        transport.Take();
        time.Advance(TransactionTimers.Default.TimerC);
        transport.Take();

        await FromAsync(Messages.Primary, Messages.Response(invite, 200, "OK"));

        Assert.Contains("SIP/2.0 200 OK -> 6000", transport.TakeLines());
    }

    [Fact]
    public async Task TimerC_CancelNeverAnswered_Caller408OneTransactionTimeoutLaterAndA2xxAfterThatStillReachesIt()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 180, "Ringing"));
        time.Advance(TransactionTimers.Default.TimerC);
        transport.Take();

        time.Advance(TransactionTimers.Default.TransactionTimeout);

        Assert.Contains("SIP/2.0 408 Request Timeout (no server answered) -> 6000", transport.TakeLines());
        await FromAsync(Messages.Primary, Messages.Response(invite, 200, "OK"));
        Assert.Contains("SIP/2.0 200 OK -> 6000", transport.TakeLines());
    }

    [Fact]
    public async Task TimerC_A100DoesNotRestartIt_Rfc3261Section16_7Step2()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 100, "Trying"));
        var half = TransactionTimers.Default.TimerC / 2;

        time.Advance(half);
        await FromAsync(Messages.Primary, Messages.Response(invite, 100, "Trying"));
        time.Advance(TransactionTimers.Default.TimerC - half);

        Assert.Contains("CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", transport.TakeLines());
    }

    [Fact]
    public async Task TimerC_A180RestartsIt_Rfc3261Section16_7Step2()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 180, "Ringing"));
        var half = TransactionTimers.Default.TimerC / 2;

        time.Advance(half);
        await FromAsync(Messages.Primary, Messages.Response(invite, 180, "Ringing"));
        time.Advance(TransactionTimers.Default.TimerC - half);
        Assert.DoesNotContain(transport.TakeLines(), line => line.StartsWith("CANCEL", StringComparison.Ordinal));

        time.Advance(half);
        Assert.Contains("CANCEL sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", transport.TakeLines());
    }

    [Fact]
    public async Task Invite_BackThroughAnotherHopWithNothingElseChanged_Gets482_Rfc3261Section16_3Step4()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var back = ThroughOneMoreHop(ForwardedTo(Messages.Primary));

        await FromAsync(Messages.Primary, back);

        Assert.Equal(["SIP/2.0 482 Loop Detected -> 5070"], transport.TakeLines());
        Assert.Single(resolver.Requests);
    }

    [Fact]
    public async Task Invite_BackThroughAnotherHopWithARouteAdded_IsASpiralAndForwarded_Rfc5393Section4_2()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var back = ThroughOneMoreHop(ForwardedTo(Messages.Primary)).Replace("Max-Forwards:", "Route: <sip:app.example.net;lr>\nMax-Forwards:", StringComparison.Ordinal);

        await FromAsync(Messages.Primary, back);

        Assert.Equal(["SIP/2.0 100 Trying -> 5070", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        Assert.Equal(2, resolver.Requests.Count);
    }

    [Fact]
    public async Task TableFull_NewRequestAnswered503WithRetryAfter()
    {
        var full = New(maxTransactions: 1);
        await full.HandleAsync(SipText.Wire(Messages.Request("INVITE")), Messages.Caller, transport, CancellationToken.None);
        transport.Take();

        await full.HandleAsync(SipText.Wire(Messages.Request("INVITE", branch: "z9hG4bKsecond")), Messages.Caller, transport, CancellationToken.None);

        var (answer, _) = Assert.Single(transport.Take());
        Assert.StartsWith("SIP/2.0 503 Service Unavailable (transaction table full)", answer, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 5\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletedTransactions_LeaveTheTableOnTheirTimers()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var invite = ForwardedTo(Messages.Primary);
        await FromAsync(Messages.Primary, Messages.Response(invite, 486, "Busy Here"));
        await FromCallerAsync(Messages.Request("ACK", toTag: "srv1"));

        time.Advance(TransactionTimers.Default.TimerD);

        Assert.Equal(0, proxy.Table.ServerCount);
        Assert.Equal(0, proxy.Table.ClientCount);
    }

    [Fact]
    public async Task Stop_PendingTransactions_EndWithoutRetransmissionsOrReports()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        transport.Take();

        proxy.Stop();
        time.Advance(TransactionTimers.Default.TransactionTimeout);

        Assert.Empty(transport.Take());
        Assert.Empty(resolver.Reports);
        Assert.Equal((0, 0), (proxy.Table.ServerCount, proxy.Table.ClientCount));
    }

    /// <summary>An INVITE forwarded to the primary, found down before it answered: the request as sent there and its retry on the backup.</summary>
    private async Task<(string First, string Retry)> MovedToBackupAsync()
    {
        await FromCallerAsync(Messages.Request("INVITE"));
        var first = ForwardedTo(Messages.Primary);
        proxy.OnHopDown(Messages.Primary);
        return (first, ForwardedTo(Messages.Backup));
    }

    /// <summary>A request this proxy forwarded as it reaches the proxy again: one more hop's Via on top, nothing else changed.</summary>
    private static string ThroughOneMoreHop(string forwarded) =>
        forwarded.Insert(forwarded.IndexOf('\n', StringComparison.Ordinal) + 1, "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKnexthop\n");

    private StatefulProxy New(int maxTransactions) =>
        new(Hops.Identity, resolver, new StatefulProxyOptions { NoResponseTimeout = NoResponse, MaxTransactions = maxTransactions }, metrics, time, NullLoggerFactory.Instance);

    private Task FromCallerAsync(string text) => FromAsync(Messages.Caller, text);

    private async Task FromAsync(IPEndPoint source, string text) =>
        await proxy.HandleAsync(SipText.Wire(text), source, transport, CancellationToken.None);

    /// <summary>The one request sent to <paramref name="destination"/> since the last look; everything else sent is dropped.</summary>
    private string ForwardedTo(IPEndPoint destination)
    {
        string? found = null;
        foreach (var (text, to) in transport.Take())
        {
            if (to.Equals(destination) && !text.StartsWith("SIP/2.0", StringComparison.Ordinal))
            {
                Assert.Null(found);
                found = text;
            }
        }

        Assert.NotNull(found);
        return found;
    }

    private static List<string> Lines(List<(string Text, IPEndPoint Destination)> sent)
    {
        var lines = new List<string>();
        foreach (var (text, destination) in sent)
        {
            lines.Add($"{Messages.FirstLine(text)} -> {destination.Port}");
        }

        return lines;
    }
}
