using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Silo.Demo;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Probing;

namespace OrleansProxy.Silo.Tests.Demo;

public sealed class SimulatedSipServerTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SilenceTimeout = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task Options_Active_Answers200()
    {
        await using var server = Start(ServerRole.Active);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        var result = await prober.ProbeAsync(server.EndPoint, ProbeTimeout, CancellationToken.None);

        Assert.True(result.Answered);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, server.Counts.OptionsAnswered);
    }

    [Fact]
    public async Task Options_Standby_StaysSilent()
    {
        await using var server = Start(ServerRole.Standby);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        var result = await prober.ProbeAsync(server.EndPoint, SilenceTimeout, CancellationToken.None);

        Assert.False(result.Answered);
        Assert.Equal(1, server.Counts.OptionsIgnored);
        Assert.Equal(0, server.Counts.OptionsAnswered);
    }

    [Fact]
    public async Task Promote_Standby_AnswersOptions()
    {
        await using var server = Start(ServerRole.Standby);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        server.Promote();
        var result = await prober.ProbeAsync(server.EndPoint, ProbeTimeout, CancellationToken.None);

        Assert.Equal(ServerRole.Active, server.Role);
        Assert.True(result.Answered);
        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task Crash_Active_AnswersNothingAndCannotBePromoted()
    {
        await using var server = Start(ServerRole.Active);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        server.Crash();
        var result = await prober.ProbeAsync(server.EndPoint, SilenceTimeout, CancellationToken.None);

        Assert.False(result.Answered);
        Assert.Equal(ServerRole.Crashed, server.Role);
        Assert.Throws<InvalidOperationException>(server.Promote);
    }

    [Fact]
    public async Task Invite_WithRecordRoutes_AnswersTryingRingingAndOkWithRoutesContactAndSdp()
    {
        await using var server = Start(ServerRole.Active);
        using var peer = new ScriptedSipPeer();
        string[] recordRoutes = ["<sip:10.0.0.1:5060;lr>", "<sip:10.0.0.2;lr>", "<sip:10.0.0.3:5080;lr>"];

        await peer.SendAsync(Invite(peer, "call-rr", "z9hG4bK-rr", $"Record-Route: {recordRoutes[0]}, {recordRoutes[1]}\r\nRecord-Route: {recordRoutes[2]}\r\n"), server.EndPoint);
        var trying = await peer.ReceiveAsync();
        var ringing = await peer.ReceiveAsync();
        var ok = await peer.ReceiveAsync();

        Assert.Equal(100, trying.Message.StatusCode);
        Assert.False(trying.Message.ToTag.IsPresent);
        Assert.Equal(180, ringing.Message.StatusCode);
        Assert.Equal(200, ok.Message.StatusCode);
        Assert.Equal(ringing.Text(ringing.Message.ToTag), ok.Text(ok.Message.ToTag));
        Assert.Equal(recordRoutes, ok.Message.RecordRoutes.Select(route => ok.Text(route.Value)));
        Assert.Equal($"<sip:127.0.0.1:{server.EndPoint.Port}>", ok.Header(HeaderKind.Contact));
        Assert.Equal("application/sdp", ok.Header(HeaderKind.ContentType));
        Assert.Equal(ok.Message.ContentLength, ok.Message.BodyLength);
        Assert.StartsWith("v=0\r\n", ok.Body, StringComparison.Ordinal);
        Assert.Equal("z9hG4bK-rr", ok.Branch);
        Assert.Equal("call-rr", ok.Text(ok.Message.CallId));
        Assert.Equal(1, server.Counts.InvitesAnswered);
    }

    [Fact]
    public async Task Invite_Retransmitted_SameOkAgainAndCountedOnce()
    {
        await using var server = Start(ServerRole.Active);
        using var peer = new ScriptedSipPeer();
        var invite = Invite(peer, "call-rtx", "z9hG4bK-rtx");

        await peer.SendAsync(invite, server.EndPoint);
        await peer.ReceiveAsync();
        await peer.ReceiveAsync();
        var ok = await peer.ReceiveAsync();
        await peer.SendAsync(invite, server.EndPoint);
        var okAgain = await peer.ReceiveAsync();

        Assert.Equal(ok.Data, okAgain.Data);
        Assert.Equal(1, server.Counts.InvitesReceived);
        Assert.Equal(1, server.Counts.InvitesAnswered);
    }

    [Fact]
    public async Task Invite_NotAcknowledged_OkRetransmitted()
    {
        var options = new SimulatedSipServerOptions { Timers = new SipTimers(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)) };
        await using var server = Start(ServerRole.Active, options);
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(Invite(peer, "call-noack", "z9hG4bK-noack"), server.EndPoint);
        await peer.ReceiveAsync();
        await peer.ReceiveAsync();
        var ok = await peer.ReceiveAsync();
        var okAgain = await peer.ReceiveAsync();

        Assert.Equal(200, ok.Message.StatusCode);
        Assert.Equal(ok.Data, okAgain.Data);
    }

    [Fact]
    public async Task Cancel_PendingInvite_Answers200AndInvite487()
    {
        await using var server = Start(ServerRole.Active, new SimulatedSipServerOptions { AnswerDelay = TimeSpan.FromMinutes(1) });
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(Invite(peer, "call-cancel", "z9hG4bK-cancel"), server.EndPoint);
        await peer.ReceiveAsync();
        var ringing = await peer.ReceiveAsync();
        await peer.SendAsync(Request("CANCEL", peer, "call-cancel", "z9hG4bK-cancel", 1), server.EndPoint);
        var first = await peer.ReceiveAsync();
        var second = await peer.ReceiveAsync();

        var cancelOk = first.Message.CSeqMethod == SipMethod.Cancel ? first : second;
        var terminated = first.Message.CSeqMethod == SipMethod.Invite ? first : second;
        Assert.Equal(200, cancelOk.Message.StatusCode);
        Assert.Equal(SipMethod.Cancel, cancelOk.Message.CSeqMethod);
        Assert.Equal(487, terminated.Message.StatusCode);
        Assert.Equal(SipMethod.Invite, terminated.Message.CSeqMethod);
        Assert.Equal(ringing.Text(ringing.Message.ToTag), terminated.Text(terminated.Message.ToTag));
        Assert.Equal(1, server.Counts.InvitesCancelled);
        Assert.Equal(0, server.Counts.InvitesAnswered);
    }

    [Theory]
    [InlineData("INFO", 200)]
    [InlineData("MESSAGE", 200)]
    [InlineData("SUBSCRIBE", 501)]
    [InlineData("REGISTER", 501)]
    public async Task Request_OtherMethod_AnsweredAsFits(string method, int expectedStatus)
    {
        await using var server = Start(ServerRole.Active);
        using var peer = new ScriptedSipPeer();

        await peer.SendAsync(Request(method, peer, "call-other", "z9hG4bK-other", 1), server.EndPoint);
        var response = await peer.ReceiveAsync();

        Assert.Equal(expectedStatus, response.Message.StatusCode);
        Assert.Equal(1, server.Counts.OtherRequests);
    }

    [Fact]
    public async Task Request_Malformed_Answers400AndCounts()
    {
        await using var server = Start(ServerRole.Active);
        using var peer = new ScriptedSipPeer();
        var badMaxForwards = $"OPTIONS sip:{server.EndPoint} SIP/2.0\r\nVia: SIP/2.0/UDP {peer.HostPort};branch=z9hG4bK-bad;rport\r\nMax-Forwards: many\r\n"
            + $"From: <sip:test@{peer.HostPort}>;tag=t1\r\nTo: <sip:server@{server.EndPoint}>\r\nCall-ID: bad\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

        await peer.SendAsync(badMaxForwards, server.EndPoint);
        var response = await peer.ReceiveAsync();

        Assert.Equal(400, response.Message.StatusCode);
        Assert.Equal(1, server.Counts.MalformedMessages);
    }

    [Fact]
    public async Task SendOptionsAsync_ToListeningSocket_ArrivesParsedAndReturnsItsStatus()
    {
        await using var server = Start(ServerRole.Standby);
        using var peer = new ScriptedSipPeer();

        var sending = server.SendOptionsAsync(peer.EndPoint, ProbeTimeout, CancellationToken.None);
        var options = await peer.ReceiveAsync();
        using var answer = ResponseFactory.Create(options.Message, 200, "OK");
        await peer.SendAsync(answer.Span.ToArray(), options.Source);
        var status = await sending;

        Assert.Equal(SipMethod.Options, options.Message.Method);
        Assert.Equal($"sip:{peer.HostPort}", options.Text(options.Message.RequestUri));
        Assert.Equal(server.EndPoint, options.Source);
        Assert.StartsWith($"SIP/2.0/UDP {server.EndPoint.Address}:{server.EndPoint.Port};", options.Text(options.Message.Vias[0].Value), StringComparison.Ordinal);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task SendOptionsAsync_NoAnswer_ReturnsZero()
    {
        await using var server = Start(ServerRole.Active);
        using var peer = new ScriptedSipPeer();

        var status = await server.SendOptionsAsync(peer.EndPoint, "sip:elsewhere@example.com", SilenceTimeout, CancellationToken.None);
        var options = await peer.ReceiveAsync();

        Assert.Equal(0, status);
        Assert.Equal("sip:elsewhere@example.com", options.Text(options.Message.RequestUri));
    }

    private static SimulatedSipServer Start(ServerRole role, SimulatedSipServerOptions? options = null) =>
        SimulatedSipServer.Start("test", new IPEndPoint(IPAddress.Loopback, 0), role, options ?? SimulatedSipServerOptions.Default, NullLogger<SimulatedSipServer>.Instance, TimeProvider.System);

    private static string Invite(ScriptedSipPeer peer, string callId, string branch, string extraHeaders = "")
    {
        const string sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        return $"INVITE sip:service@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {peer.HostPort};branch={branch};rport\r\nMax-Forwards: 70\r\n{extraHeaders}"
            + $"From: <sip:test@{peer.HostPort}>;tag=caller\r\nTo: <sip:service@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 INVITE\r\n"
            + $"Contact: <sip:test@{peer.HostPort}>\r\nContent-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}";
    }

    private static string Request(string method, ScriptedSipPeer peer, string callId, string branch, int cseq) =>
        $"{method} sip:service@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {peer.HostPort};branch={branch};rport\r\nMax-Forwards: 70\r\n"
        + $"From: <sip:test@{peer.HostPort}>;tag=caller\r\nTo: <sip:service@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n";
}
