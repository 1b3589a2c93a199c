using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Flows;

/// <summary>The Path and flow Record-Route a forwarded request gets (RFC 3327, RFC 5626), on a proxy with a UDP and a TCP listener.</summary>
public sealed class FlowForwardingTests : IDisposable
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.7"), 40123);
    private static readonly IPEndPoint Registrar = new(IPAddress.Loopback, 5070);

    private const string Register =
        "REGISTER sip:example.com SIP/2.0\n" +
        "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKreg;rport\n" +
        "Max-Forwards: 70\n" +
        "To: <sip:alice@example.com>\n" +
        "From: <sip:alice@example.com>;tag=reg\n" +
        "Call-ID: reg@phone\n" +
        "CSeq: 1 REGISTER\n" +
        "Contact: <sip:alice@192.0.2.7:5060>\n" +
        "Content-Length: 0\n\n";

    private readonly ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> sent = new();
    private readonly SharedLogTransport udp;
    private readonly SharedLogTransport tcp;
    private readonly FakeResolver resolver = new() { Decision = RouteDecision.Forward(Registrar) };
    private readonly SipMetrics metrics = new();
    private readonly ProxyIdentity identity;

    public FlowForwardingTests()
    {
        udp = new SharedLogTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), sent);
        tcp = new SharedLogTransport(new LocalHop(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060)), sent);
        identity = new ProxyIdentity([udp, tcp], ["sip-proxy.example.com"]);
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Rfc3327_5_2_RegisterListingPath_KeepsItsSupportedAndGetsNoSecond()
    {
        var register = Register.Replace("CSeq: 1 REGISTER\n", "CSeq: 1 REGISTER\nSupported: replaces, Path\n", StringComparison.Ordinal);

        var forwarded = await ForwardAsync(register);

        Assert.Equal(["replaces, Path"], Lines(forwarded, "Supported: "));
        Assert.Single(Lines(forwarded, "Path: "));
    }

    [Fact]
    public async Task Rfc5626_5_1_RegisterThroughAnotherProxy_PathNamesThatFlowWithoutOb()
    {
        var register = Register.Replace("Via: SIP/2.0/UDP 192.0.2.7:5060;", "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKsbc\nVia: SIP/2.0/UDP 198.51.100.2:5060;", StringComparison.Ordinal);

        var path = Assert.Single(Lines(await ForwardAsync(register), "Path: "));

        Assert.Matches("^<sip:[A-Za-z0-9_-]+@127.0.0.1:5060;lr>$", path);
        Assert.Equal(FlowTokenStatus.Valid, identity.Flows.Read(Encoding.ASCII.GetBytes(path[5..path.IndexOf('@', StringComparison.Ordinal)]), out var flow));
        Assert.Equal(new Flow(udp, Phone, 0), flow);
    }

    [Fact]
    public async Task Rfc3327_RegisterLeavingOverTcp_PathNamesTheTcpListener()
    {
        resolver.Decision = RouteDecision.Forward(Registrar, SipTransportKind.Tcp);

        var path = Assert.Single(Lines(await ForwardAsync(Register), "Path: "));

        Assert.Matches("^<sip:[A-Za-z0-9_-]+@127.0.0.1:5060;transport=tcp;lr;ob>$", path);
    }

    [Fact]
    public async Task Rfc5626_5_3_RequestOnTheFlowItsTokenNames_GoesWhereItPoints()
    {
        var bye = "BYE sip:queue@10.0.0.7 SIP/2.0\n" +
            "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKbye;rport\n" +
            "Max-Forwards: 70\n" +
            $"Route: <sip:{Token(new Flow(udp, Phone, 0))}@127.0.0.1:5060;lr>\n" +
            "To: <sip:queue@example.com>;tag=srv\n" +
            "From: <sip:alice@example.com>;tag=phone\n" +
            "Call-ID: call@registrar\n" +
            "CSeq: 2 BYE\n" +
            "Content-Length: 0\n\n";

        var forwarded = await ForwardAsync(bye);

        Assert.Empty(Lines(forwarded, "Route: "));
        Assert.Equal(new NextHop("10.0.0.7", 5060, IPAddress.Parse("10.0.0.7")) { PortIsDefault = true }, Assert.Single(resolver.Requests).Target);
    }

    [Fact]
    public async Task Rfc5626_5_3_TokenOfAPreviousRun_Gets430()
    {
        var invite = SipText.Invite.Replace("X-Custom: kept as it is", $"Route: <sip:{Token(new Flow(udp, Phone, 0), new FlowTokens([udp, tcp]))}@127.0.0.1:5060;lr>", StringComparison.Ordinal);

        await Stateless().HandleAsync(SipText.Wire(invite), Registrar, udp, CancellationToken.None);

        Assert.StartsWith("SIP/2.0 430 Flow Failed\n", Assert.Single(sent).Text, StringComparison.Ordinal);
        Assert.Empty(resolver.Requests);
    }

    [Fact]
    public async Task Rfc5626_5_3_InviteFromAPhoneWithObInItsContact_IsRecordRoutedWithItsFlow()
    {
        var invite = SipText.Invite.Replace("Contact: <sip:alice@127.0.0.1:6000>", "Contact: <sip:alice@127.0.0.1:6000;ob>", StringComparison.Ordinal);

        var recordRoute = Assert.Single(Lines(await ForwardAsync(invite), "Record-Route: "));

        Assert.Equal($"<sip:{Token(new Flow(udp, Phone, 0))}@127.0.0.1:5060;lr>", recordRoute);
    }

    [Fact]
    public async Task RecordRoute_InviteWithoutOb_KeepsThePoolsRecordRoute()
    {
        Assert.Equal(["<sip:sip-proxy.example.com;lr>"], Lines(await ForwardAsync(SipText.Invite), "Record-Route: "));
    }

    private async Task<string> ForwardAsync(string request)
    {
        await Stateless().HandleAsync(SipText.Wire(request), Phone, udp, CancellationToken.None);
        var (text, destination, _) = Assert.Single(sent);
        Assert.Equal(Registrar, destination);
        return text;
    }

    private string Token(Flow flow, FlowTokens? by = null)
    {
        var buffer = new byte[FlowTokens.MaxLength];
        return Encoding.ASCII.GetString(buffer, 0, (by ?? identity.Flows).Write(flow, buffer));
    }

    private static string[] Lines(string message, string prefix) =>
        [.. message.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..])];

    private StatelessProxy Stateless() =>
        new(identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
}
