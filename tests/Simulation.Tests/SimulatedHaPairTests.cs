using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Simulation.Tests;

/// <summary>The simulated pair on real loopback sockets, driven by a raw peer that plays the proxy.</summary>
public sealed class SimulatedHaPairTests
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Options_Active_Answers200()
    {
        await using var pair = SimulatedHaPair.Start();
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(peer.Request("OPTIONS", $"sip:{pair.Primary.EndPoint}", "options-active"), pair.Primary.EndPoint);

        Assert.Equal(200, (await peer.ResponseAsync()).Message.StatusCode);
        Assert.Equal(1, pair.Primary.Counts.OptionsAnswered);
        Assert.Equal(1, pair.Primary.Counts.OptionsWhileActive);
    }

    [Fact]
    public async Task Standby_Silent_IgnoresOptionsAndInvite()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = StandbyBehavior.Silent });
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(peer.Request("OPTIONS", $"sip:{pair.Backup.EndPoint}", "silent-options"), pair.Backup.EndPoint);
        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{pair.Backup.EndPoint}", "silent-invite"), pair.Backup.EndPoint);

        Assert.Null(await peer.TryReceiveAsync(Silence));
        var counts = pair.Backup.Counts;
        Assert.Equal(ServerState.Standby, pair.Backup.State);
        Assert.Equal(1, counts.OptionsWhileStandby);
        Assert.Equal(1, counts.NewRequestsWhileStandby);
        Assert.Equal(0, counts.InvitesReceived);
    }

    [Fact]
    public async Task Standby_Refuse503_Answers503WithRetryAfterToOptionsAndInvite()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = StandbyBehavior.Refuse503, RetryAfterSeconds = 7 });
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(peer.Request("OPTIONS", $"sip:{pair.Backup.EndPoint}", "refuse-options"), pair.Backup.EndPoint);
        var options = await peer.ResponseAsync();
        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{pair.Backup.EndPoint}", "refuse-invite"), pair.Backup.EndPoint);
        var invite = await peer.ResponseAsync();

        Assert.Equal(503, options.Message.StatusCode);
        Assert.Equal("7", options.HeaderLines("Retry-After").Single()["Retry-After:".Length..].Trim());
        Assert.Equal(503, invite.Message.StatusCode);
        Assert.Equal(SipMethod.Invite, invite.Message.CSeqMethod);
        Assert.Equal(0, pair.Backup.Counts.InvitesAnswered);
        Assert.Equal(1, pair.Report.RequestsToStandby);
        Assert.Equal(1, pair.Report.OptionsToStandby);
    }

    [Fact]
    public async Task Invite_Active_AnswersTryingRingingAndOkWithContactRecordRouteAndSdp()
    {
        await using var pair = SimulatedHaPair.Start();
        using var peer = new ScriptedSipPeer();
        var invite = peer.Request("INVITE", $"sip:service@{pair.Primary.EndPoint}", "invite-rr")
            .Replace("Content-Length: 0", "Record-Route: <sip:10.0.0.1;lr>\r\nContent-Length: 0", StringComparison.Ordinal);

        await peer.SendAsync(invite, pair.Primary.EndPoint);
        var trying = await peer.ResponseAsync();
        var ringing = await peer.ResponseAsync();
        var ok = await peer.ResponseAsync();

        Assert.Equal([100, 180, 200], [trying.Message.StatusCode, ringing.Message.StatusCode, ok.Message.StatusCode]);
        Assert.Equal(ringing.ToTag, ok.ToTag);
        Assert.Equal("<sip:10.0.0.1;lr>", ok.Header(HeaderKind.RecordRoute));
        Assert.Equal($"<sip:{pair.Primary.EndPoint}>", ok.Header(HeaderKind.Contact));
        Assert.Equal("application/sdp", ok.Header(HeaderKind.ContentType));
        Assert.StartsWith("v=0\r\n", ok.Body, StringComparison.Ordinal);
        Assert.Equal(1, pair.Primary.Counts.InvitesAnswered);
        Assert.Equal(1, pair.Dialogs);
    }

    [Fact]
    public async Task Invite_NotAcknowledged_OkRetransmittedUntilTheAck()
    {
        var fast = new SimulatedHaPairOptions { Timers = Sip.Transactions.TransactionTimers.Default with { T1 = TimeSpan.FromMilliseconds(50) } };
        await using var pair = SimulatedHaPair.Start(fast);
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{pair.Primary.EndPoint}", "no-ack"), pair.Primary.EndPoint);
        var ok = await peer.ResponseAsync(200);
        var again = await peer.ResponseAsync(200);
        await peer.SendAsync(peer.Request("ACK", $"sip:{pair.Primary.EndPoint}", "no-ack", toTag: ok.ToTag), pair.Primary.EndPoint);

        Assert.Equal(ok.Data, again.Data);
        Assert.Equal(1, pair.Primary.Counts.InvitesReceived);
        await Eventually.Holds(() => pair.Primary.Counts.AcksReceived == 1 && pair.Primary.CallsInProgress == 0, "the ACK to stop the retransmissions");
    }

    [Fact]
    public async Task Cancel_RingingInvite_Answers200AndInvite487()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { AnswerDelay = TimeSpan.FromMinutes(1) });
        using var peer = new ScriptedSipPeer();
        var invite = peer.Request("INVITE", $"sip:service@{pair.Primary.EndPoint}", "cancelled");

        await peer.SendAsync(invite, pair.Primary.EndPoint);
        await peer.ResponseAsync(180);
        await peer.SendAsync(invite.Replace("INVITE", "CANCEL", StringComparison.Ordinal), pair.Primary.EndPoint);
        var cancelOk = await peer.ResponseAsync(200);
        var terminated = await peer.ResponseAsync(487);

        Assert.Equal(SipMethod.Cancel, cancelOk.Message.CSeqMethod);
        Assert.Equal(SipMethod.Invite, terminated.Message.CSeqMethod);
        Assert.Equal(1, pair.Primary.Counts.InvitesCancelled);
        Assert.Equal(0, pair.Primary.Counts.InvitesAnswered);
    }

    [Theory]
    [InlineData("REGISTER")]
    [InlineData("MESSAGE")]
    [InlineData("INFO")]
    public async Task Request_OtherMethod_Answers200(string method)
    {
        await using var pair = SimulatedHaPair.Start();
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(peer.Request(method, $"sip:{pair.Primary.EndPoint}", "other-" + method), pair.Primary.EndPoint);

        Assert.Equal(200, (await peer.ResponseAsync()).Message.StatusCode);
        Assert.Equal(1, pair.Primary.Counts.RequestsWhileActive[method]);
    }

    [Fact]
    public async Task Bye_DialogSetUpOnTheOtherMember_Answered200ByTheNewActive()
    {
        await using var pair = SimulatedHaPair.Start();
        using var peer = new ScriptedSipPeer();
        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{pair.Primary.EndPoint}", "across"), pair.Primary.EndPoint);
        var ok = await peer.ResponseAsync(200);
        await peer.SendAsync(peer.Request("ACK", $"sip:{pair.Primary.EndPoint}", "across", toTag: ok.ToTag), pair.Primary.EndPoint);

        await pair.KillActiveAsync(DeathKind.Freeze, takeoverDelay: TimeSpan.Zero);
        await peer.SendAsync(peer.Request("BYE", $"sip:{pair.Primary.EndPoint}", "across", cseq: 2, toTag: ok.ToTag), pair.Backup.EndPoint);

        Assert.Equal(200, (await peer.ResponseAsync()).Message.StatusCode);
        Assert.Equal(1, pair.Backup.Counts.ByesForOtherMembersDialogs);
        Assert.Equal(1, pair.Report.ByesForOtherMembersDialogs);
        Assert.Equal(0, pair.Dialogs);
    }

    [Fact]
    public async Task Bye_UnknownDialog_Answered481()
    {
        await using var pair = SimulatedHaPair.Start();
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(peer.Request("BYE", $"sip:{pair.Primary.EndPoint}", "never-set-up", cseq: 2, toTag: "x"), pair.Primary.EndPoint);

        Assert.Equal(481, (await peer.ResponseAsync()).Message.StatusCode);
        Assert.Equal(1, pair.Report.UnknownDialog481);
        Assert.Equal(0, pair.Report.ByesAnswered);
    }

    [Fact]
    public async Task KillActive_Freeze_PortStaysOpenAndNothingIsAnswered()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { TakeoverDelay = Timeout.InfiniteTimeSpan });
        using var connected = Connected(pair.Primary.EndPoint);

        await pair.KillActiveAsync(DeathKind.Freeze);
        connected.Send(Encoding.ASCII.GetBytes("OPTIONS sip:x SIP/2.0\r\n\r\n"));

        using var wait = new CancellationTokenSource(Silence);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await connected.ReceiveAsync(new byte[2048], SocketFlags.None, wait.Token));
        Assert.Equal(ServerState.Dead, pair.Primary.State);
        Assert.Equal(DeathKind.Freeze, pair.Primary.Death);
        Assert.Null(pair.Active);
    }

    [Fact]
    public async Task KillActive_ClosePort_ASendDrawsPortUnreachable()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { TakeoverDelay = Timeout.InfiniteTimeSpan });
        using var connected = Connected(pair.Primary.EndPoint);

        await pair.KillActiveAsync(DeathKind.ClosePort);
        connected.Send(Encoding.ASCII.GetBytes("OPTIONS sip:x SIP/2.0\r\n\r\n"));

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await connected.ReceiveAsync(new byte[2048], SocketFlags.None, wait.Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task KillActive_TakeoverDelay_StandbyUntilTheDelayHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { TakeoverDelay = TimeSpan.FromSeconds(2) }, time);

        await pair.KillActiveAsync(DeathKind.Freeze);
        time.Advance(TimeSpan.FromSeconds(1.9));
        var before = pair.Backup.State;
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(ServerState.Standby, before);
        Assert.Equal(ServerState.Active, pair.Backup.State);
        Assert.Same(pair.Backup, await pair.WaitForTakeoverAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(2), pair.Report.Gap);
    }

    [Fact]
    public async Task KillActive_ThenInvite_FirstInviteAfterTakeoverIsRecorded()
    {
        await using var pair = SimulatedHaPair.Start();
        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), pair.Backup.EndPoint);

        await pair.KillActiveAsync(DeathKind.ClosePort);
        var call = await caller.PlaceCallAsync(CancellationToken.None);

        Assert.True(call.Succeeded, call.FailureReason);
        var report = pair.Report;
        Assert.NotNull(report.DiedAt);
        Assert.NotNull(report.TakeoverAt);
        Assert.NotNull(report.FirstInviteAfterTakeoverMs);
        Assert.True(report.FirstInviteAfterTakeoverMs >= 0);
    }

    [Fact]
    public async Task ReviveDead_ComesBackOnTheSamePortAsTheStandby()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = StandbyBehavior.Refuse503 });
        using var peer = new ScriptedSipPeer();
        await pair.KillActiveAsync(DeathKind.ClosePort);

        var revived = pair.ReviveDead();
        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{revived.EndPoint}", "to-revived"), revived.EndPoint);

        Assert.Same(pair.Primary, revived);
        Assert.Equal(ServerState.Standby, revived.State);
        Assert.Same(pair.Backup, pair.Active);
        Assert.Equal(503, (await peer.ResponseAsync()).Message.StatusCode);
        Assert.Equal(0, revived.Counts.InvitesReceived);
        Assert.Equal(1, revived.Counts.NewRequestsWhileStandby);
    }

    [Fact]
    public async Task Takeover_AnnouncesWithOptionsAddressedToTheProxy()
    {
        using var proxy = new ScriptedSipPeer();
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Announcement = TakeoverAnnouncement.OptionsToProxy, Proxy = proxy.EndPoint });

        await pair.KillActiveAsync(DeathKind.Freeze);
        var options = await proxy.ReceiveAsync();
        await proxy.AnswerAsync(options, 200, "OK");

        Assert.Equal("OPTIONS", options.Method);
        Assert.Equal($"sip:{proxy.HostPort}", options.Text(options.Message.RequestUri));
        Assert.Equal(pair.Backup.EndPoint, options.Source);
        Assert.Null(await proxy.TryReceiveAsync(Silence));
    }

    [Fact]
    public async Task Takeover_AnnouncesWithARequestThroughTheProxy()
    {
        using var proxy = new ScriptedSipPeer();
        var options = new SimulatedHaPairOptions { Announcement = TakeoverAnnouncement.RequestThroughProxy, Proxy = proxy.EndPoint, AnnouncementTarget = "sip:ops@192.0.2.9" };
        await using var pair = SimulatedHaPair.Start(options);

        await pair.KillActiveAsync(DeathKind.ClosePort);
        var request = await proxy.ReceiveAsync();

        Assert.Equal("sip:ops@192.0.2.9", request.Text(request.Message.RequestUri));
        Assert.Equal($"<sip:{proxy.HostPort};lr>", request.Header(HeaderKind.Route));
        Assert.Equal(pair.Backup.EndPoint, request.Source);
    }

    [Fact]
    public void Start_AnnouncementWithoutProxy_Throws() =>
        Assert.Throws<ArgumentException>(() => SimulatedHaPair.Start(new SimulatedHaPairOptions { Announcement = TakeoverAnnouncement.OptionsToProxy }));

    [Fact]
    public async Task SwitchOver_Planned_TheStandbyServesAndTheOldActiveRefuses()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = StandbyBehavior.Refuse503 });

        pair.SwitchOver();

        Assert.Same(pair.Backup, pair.Active);
        Assert.Same(pair.Primary, pair.Standby);
    }

    [Fact]
    public async Task SplitBrain_BothMembersTakeCallsAndAnOverloadedOneRefuses()
    {
        await using var pair = SimulatedHaPair.Start();
        using var peer = new ScriptedSipPeer();
        pair.SplitBrain();
        pair.Primary.MaxCalls = 0;

        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{pair.Primary.EndPoint}", "busy"), pair.Primary.EndPoint);
        var refused = await peer.ResponseAsync();
        await peer.SendAsync(peer.Request("INVITE", $"sip:service@{pair.Backup.EndPoint}", "split"), pair.Backup.EndPoint);

        Assert.Equal(503, refused.Message.StatusCode);
        Assert.Equal(200, (await peer.ResponseAsync(200)).Message.StatusCode);
        Assert.Equal(1, pair.Primary.Counts.InvitesRefused);
        Assert.Equal(ServerState.Active, pair.Backup.State);
    }

    private static Socket Connected(IPEndPoint to)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(to);
        return socket;
    }
}
