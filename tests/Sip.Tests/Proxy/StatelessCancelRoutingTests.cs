using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// RFC 3261 §16.11: a stateless proxy sends an INVITE's CANCEL and non-2xx ACK where the INVITE went, also when its
/// pair switched over in between and the resolver now names the other member.
/// </summary>
public sealed class StatelessCancelRoutingTests : IDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly FakeResolver resolver = new();
    private readonly RecordingTransport transport = new();
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorder;

    public StatelessCancelRoutingTests()
    {
        recorder = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorder.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task CancelAndNon2xxAck_AfterASwitchover_GoWhereTheirInviteWentWithItsBranch_Rfc3261Section16_11()
    {
        var proxy = New();
        resolver.Decision = RouteDecision.Forward(Messages.Primary);
        await ReceiveAsync(proxy, Messages.Request("INVITE"));
        resolver.Decision = RouteDecision.Forward(Messages.Backup);

        await ReceiveAsync(proxy, Messages.Request("CANCEL"));
        await ReceiveAsync(proxy, Messages.Request("ACK", toTag: "srv1"));

        var sent = transport.Sent.ToArray();
        Assert.Equal(["INVITE -> 5070", "CANCEL -> 5070", "ACK -> 5070"], sent.Select(Line));
        Assert.Equal(Messages.TopBranch(sent[0].Text), Messages.TopBranch(sent[1].Text));
        Assert.Equal(Messages.TopBranch(sent[0].Text), Messages.TopBranch(sent[2].Text));
        Assert.Single(resolver.Requests);
    }

    [Fact]
    public async Task CancelForAnInviteNeverSeen_IsRoutedByTheResolver_Rfc3261Section16_11()
    {
        var proxy = New();
        resolver.Decision = RouteDecision.Forward(Messages.Primary);
        await ReceiveAsync(proxy, Messages.Request("INVITE"));
        resolver.Decision = RouteDecision.Forward(Messages.Backup);

        await ReceiveAsync(proxy, Messages.Request("CANCEL", branch: "z9hG4bKelsewhere"));

        Assert.Equal(["INVITE -> 5070", "CANCEL -> 5080"], transport.Sent.Select(Line));
        Assert.Equal(2, resolver.Requests.Count);
    }

    [Fact]
    public async Task Cancel_PastTheTimeAnInviteIsRemembered_IsRoutedByTheResolver_Rfc3261Section16_11()
    {
        var options = new ProxyCoreOptions();
        var proxy = New(options);
        resolver.Decision = RouteDecision.Forward(Messages.Primary);
        await ReceiveAsync(proxy, Messages.Request("INVITE"));
        resolver.Decision = RouteDecision.Forward(Messages.Backup);

        time.Advance(options.RememberInvitesFor - TimeSpan.FromSeconds(1));
        await ReceiveAsync(proxy, Messages.Request("CANCEL"));
        time.Advance(TimeSpan.FromSeconds(1));
        await ReceiveAsync(proxy, Messages.Request("CANCEL"));

        Assert.Equal(["INVITE -> 5070", "CANCEL -> 5070", "CANCEL -> 5080"], transport.Sent.Select(Line));
    }

    [Fact]
    public async Task InvitesPastTheBound_TheOldestIsForgottenAndCounted_Rfc3261Section16_11()
    {
        var proxy = New(new ProxyCoreOptions { RememberedInvites = 1 });
        resolver.Decision = RouteDecision.Forward(Messages.Primary);
        await ReceiveAsync(proxy, Messages.Request("INVITE", branch: "z9hG4bKfirst"));
        await ReceiveAsync(proxy, Messages.Request("INVITE", branch: "z9hG4bKsecond"));
        resolver.Decision = RouteDecision.Forward(Messages.Backup);

        await ReceiveAsync(proxy, Messages.Request("CANCEL", branch: "z9hG4bKfirst"));
        await ReceiveAsync(proxy, Messages.Request("CANCEL", branch: "z9hG4bKsecond"));

        Assert.Equal(["INVITE -> 5070", "INVITE -> 5070", "CANCEL -> 5080", "CANCEL -> 5070"], transport.Sent.Select(Line));
        Assert.Equal(1, recorder.Total("orleansproxy.sip.stateless.invites.forgotten"));
    }

    [Fact]
    public async Task InviteRetransmittedAfterASwitchover_FollowsTheResolverAndItsCancelFollowsIt_Rfc3261Section16_11()
    {
        var proxy = New();
        resolver.Decision = RouteDecision.Forward(Messages.Primary);
        await ReceiveAsync(proxy, Messages.Request("INVITE"));
        resolver.Decision = RouteDecision.Forward(Messages.Backup);

        // The primary never answered, so the caller retransmits; the member that took over gets the call.
        await ReceiveAsync(proxy, Messages.Request("INVITE"));
        await ReceiveAsync(proxy, Messages.Request("CANCEL"));

        Assert.Equal(["INVITE -> 5070", "INVITE -> 5080", "CANCEL -> 5080"], transport.Sent.Select(Line));
    }

    private static string Line((string Text, IPEndPoint Destination) sent) =>
        $"{sent.Text[..sent.Text.IndexOf(' ', StringComparison.Ordinal)]} -> {sent.Destination.Port}";

    private StatelessProxy New(ProxyCoreOptions? options = null) =>
        new(Hops.Identity, resolver, options ?? new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance, time);

    private ValueTask ReceiveAsync(StatelessProxy proxy, string text) =>
        proxy.HandleAsync(SipText.Wire(text), Messages.Caller, transport, CancellationToken.None);
}
