using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Proxy;

public sealed class StatelessProxyTests : IDisposable
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 5070);

    private readonly FakeResolver resolver = new();
    private readonly RecordingTransport transport = new();
    private readonly SipMetrics metrics = new();
    private readonly StatelessProxy proxy;

    public StatelessProxyTests()
    {
        proxy = new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task HandleAsync_InviteToTheProxy_GoesWhereTheResolverSays()
    {
        await Receive(SipText.Invite);

        var (forwarded, destination) = transport.Single();
        Assert.Equal(Server, destination);
        Assert.Equal(SipMethod.Invite, forwarded.Method);
        Assert.Equal(2, forwarded.Vias.Count);
        Assert.Single(forwarded.RecordRoutes);
        var routed = Assert.Single(resolver.Requests);
        Assert.Null(routed.Target);
        Assert.Equal(Caller, routed.Source);
        Assert.False(routed.InDialog);
    }

    [Fact]
    public async Task HandleAsync_InDialogRequestWithOurRoute_PopsItAndNamesTheRequestUri()
    {
        var bye = SipText.Invite
            .Replace("INVITE sip:service@127.0.0.1:5060", "BYE sip:service@127.0.0.1:5070", StringComparison.Ordinal)
            .Replace("314159 INVITE", "314160 BYE", StringComparison.Ordinal)
            .Replace("To: Service <sip:service@127.0.0.1:5060>", "To: Service <sip:service@127.0.0.1:5060>;tag=srv1", StringComparison.Ordinal)
            .Replace("X-Custom: kept as it is", "Route: <sip:sip-proxy.example.com;lr>", StringComparison.Ordinal);

        await Receive(bye);

        var (forwarded, _) = transport.Single();
        Assert.Empty(forwarded.Routes);
        Assert.Empty(forwarded.RecordRoutes);
        var routed = Assert.Single(resolver.Requests);
        Assert.True(routed.InDialog);
        Assert.Equal(new NextHop("127.0.0.1", 5070, IPAddress.Loopback), routed.Target);
    }

    [Fact]
    public async Task HandleAsync_MalformedRequest_Gets400NamingTheFaultAndTheNextIsServed()
    {
        await Receive(SipText.Invite.Replace("Max-Forwards: 70", "Max-Forwards: lots", StringComparison.Ordinal));
        await Receive(SipText.Invite);

        var sent = transport.Sent.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.StartsWith("SIP/2.0 400 Bad Request (Max-Forwards not a number)\n", sent[0].Text, StringComparison.Ordinal);
        Assert.Equal(Caller, sent[0].Destination);
        Assert.StartsWith("INVITE ", sent[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_OptionsToTheProxy_AnswersFromTheResolversAvailability()
    {
        var options = SipText.Invite
            .Replace("INVITE sip:service@127.0.0.1:5060", "OPTIONS sip:127.0.0.1:5060", StringComparison.Ordinal)
            .Replace("314159 INVITE", "1 OPTIONS", StringComparison.Ordinal);

        await Receive(options);
        resolver.Serving = false;
        await Receive(options);

        var sent = transport.Sent.ToArray();
        Assert.StartsWith("SIP/2.0 200 OK\n", sent[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 503 ", sent[1].Text, StringComparison.Ordinal);
        Assert.Contains("\nRetry-After: 5\n", sent[1].Text, StringComparison.Ordinal);
        Assert.Empty(resolver.Requests);
    }

    [Fact]
    public async Task HandleAsync_ProductLeftOut_OwnAnswersCarryNoServerHeader()
    {
        var quiet = new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions { Product = ProductName.None }, metrics, NullLogger<StatelessProxy>.Instance);
        var options = SipText.Invite
            .Replace("INVITE sip:service@127.0.0.1:5060", "OPTIONS sip:127.0.0.1:5060", StringComparison.Ordinal)
            .Replace("314159 INVITE", "1 OPTIONS", StringComparison.Ordinal);

        await quiet.HandleAsync(SipText.Wire(options), Caller, transport, CancellationToken.None);
        await proxy.HandleAsync(SipText.Wire(options), Caller, transport, CancellationToken.None);

        var sent = transport.Sent.ToArray();
        Assert.StartsWith("SIP/2.0 200 OK\n", sent[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nServer:", sent[0].Text, StringComparison.Ordinal);
        Assert.Contains("\nServer: OrleansProxy\n", sent[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MaxForwardsZero_Gets483()
    {
        await Receive(SipText.Invite.Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal));

        Assert.StartsWith("SIP/2.0 483 Too Many Hops\n", transport.Sent.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_AnswerToASenderThatDidNotAskForRport_GoesToItsSentByPort_Rfc3261Section18_2_2()
    {
        await Receive(SipText.Invite
            .Replace("127.0.0.1:6000;branch=z9hG4bK776asdhds;rport", "127.0.0.1:5999;branch=z9hG4bK776asdhds", StringComparison.Ordinal)
            .Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal));

        var (text, destination) = Assert.Single(transport.Sent);
        Assert.StartsWith("SIP/2.0 483 Too Many Hops\n", text, StringComparison.Ordinal);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5999), destination);
    }

    [Fact]
    public async Task HandleAsync_ProxyRequire_Gets420ListingTheOption()
    {
        await Receive(SipText.Invite.Replace("X-Custom: kept as it is", "Proxy-Require: foo", StringComparison.Ordinal));

        var text = transport.Sent.Single().Text;
        Assert.StartsWith("SIP/2.0 420 Bad Extension\n", text, StringComparison.Ordinal);
        Assert.Contains("\nUnsupported: foo\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_RequestThatComesBackUnchanged_Gets482()
    {
        await Receive(SipText.Invite);
        var (forwarded, _) = transport.Single();
        transport.Sent.Clear();

        await Receive(SipText.Text(forwarded.Buffer.Span));

        Assert.StartsWith("SIP/2.0 482 Loop Detected\n", transport.Sent.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_TelRequestUri_GoesToTheResolverWithItsNumber()
    {
        await Receive(SipText.Invite.Replace("INVITE sip:service@127.0.0.1:5060", "INVITE tel:+1-555-1234", StringComparison.Ordinal));

        Assert.Equal(Server, transport.Single().Destination);
        var routed = Assert.Single(resolver.Requests);
        Assert.Equal((null, "+15551234"), (routed.Target, routed.RequestUriUser));
    }

    [Fact]
    public async Task HandleAsync_RequestUriOfAnUnknownScheme_Gets416()
    {
        await Receive(SipText.Invite.Replace("INVITE sip:service@127.0.0.1:5060", "INVITE mailto:bob@example.com", StringComparison.Ordinal));

        Assert.StartsWith("SIP/2.0 416 Unsupported URI Scheme\n", transport.Sent.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ResolverRejects_AnswersWithItsStatusAndRetryAfter()
    {
        resolver.Decision = RouteDecision.Reject(503, "Service Unavailable (pair main has no active member)", 7);

        await Receive(SipText.Invite);

        var text = transport.Sent.Single().Text;
        Assert.StartsWith("SIP/2.0 503 Service Unavailable (pair main has no active member)\n", text, StringComparison.Ordinal);
        Assert.Contains("\nRetry-After: 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ResolverTimesOut_StaysSilentSoTheRetransmissionIsRouted()
    {
        resolver.Failure = new TimeoutException("grain call timed out");

        await Receive(SipText.Invite);

        Assert.Empty(transport.Sent);
    }

    [Fact]
    public async Task HandleAsync_ResolverFails_Answers503()
    {
        resolver.Failure = new InvalidOperationException("grain call failed");

        await Receive(SipText.Invite);

        Assert.StartsWith("SIP/2.0 503 Service Unavailable (routing failed)\n", transport.Sent.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_AckRejected_IsDroppedSilently()
    {
        resolver.Decision = RouteDecision.Reject(503, "Service Unavailable");
        var ack = SipText.Invite.Replace("INVITE sip:", "ACK sip:", StringComparison.Ordinal).Replace("314159 INVITE", "314159 ACK", StringComparison.Ordinal);

        await Receive(ack);

        Assert.Empty(transport.Sent);
    }

    [Fact]
    public async Task HandleAsync_ResponseToOurForward_GoesBackToTheCaller()
    {
        await Receive(SipText.Invite);
        var (forwarded, _) = transport.Single();
        transport.Sent.Clear();
        var ringing = "SIP/2.0 180 Ringing\r\n" + SipText.Text(forwarded.Buffer.Span[forwarded.HeadersOffset..]).Replace("\n", "\r\n", StringComparison.Ordinal);

        await proxy.HandleAsync(SipText.Wire(ringing), Server, transport, CancellationToken.None);

        var (response, destination) = transport.Single();
        Assert.Equal(Caller, destination);
        Assert.Equal(180, response.StatusCode);
        Assert.Equal("SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK776asdhds;rport=6000;received=127.0.0.1", response.Of(response.Vias[0].Value));
    }

    [Fact]
    public async Task HandleAsync_ResponseNotViaUs_IsDropped()
    {
        var notOurs = SipText.Ringing.Replace("z9hG4bKop0000000000000000.0000000000000000", "z9hG4bKsomeoneelse", StringComparison.Ordinal);

        await Receive(notOurs);
        await Receive("SIP/2.0 200 OK\nVia: nonsense\n\n");

        Assert.Empty(transport.Sent);
    }

    [Fact]
    public async Task HandleAsync_Garbage_IsAnsweredOrDroppedButNeverThrows()
    {
        var random = new Random(42);
        var valid = SipText.Wire(SipText.Invite);
        for (var round = 0; round < 500; round++)
        {
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            await proxy.HandleAsync(mutated.AsMemory(0, random.Next(1, mutated.Length + 1)), Caller, transport, CancellationToken.None);
        }

        await Receive(SipText.Invite);
        Assert.StartsWith("INVITE ", transport.Sent.Last().Text, StringComparison.Ordinal);
    }

    private ValueTask Receive(string text) => proxy.HandleAsync(SipText.Wire(text), Caller, transport, CancellationToken.None);
}
