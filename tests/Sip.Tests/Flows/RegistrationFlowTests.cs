using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Flows;

/// <summary>
/// Registrations through the proxy, end to end on loopback (RFC 3327, RFC 5626): a phone registers from a TCP connection
/// or a UDP port of its own while its Contact names a port nobody listens on; a registrar on UDP gets the REGISTER with a
/// Path naming the proxy and the phone's flow, and its requests for the phone, routed by that Path, reach the phone over
/// the flow it registered on. Both proxy cores do it.
/// </summary>
public sealed class RegistrationFlowTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly UdpPeer registrar = new();

    public static TheoryData<bool> Cores => [true, false];

    public void Dispose()
    {
        registrar.Dispose();
        metrics.Dispose();
    }

    [Theory]
    [MemberData(nameof(Cores))]
    public async Task Rfc5626_5_1_TcpPhoneRegisters_RegistrarGetsAPathWithItsFlowAndItsInviteReachesThePhoneOverThatConnection(bool stateful)
    {
        await using var proxy = StartProxy(registrar.EndPoint, stateful);
        using var phone = await StreamPeer.ConnectAsync(proxy.Tcp.Hop.EndPoint);
        var contact = $"sip:alice@127.0.0.1:{UnusedPort(SocketType.Stream, ProtocolType.Tcp)};transport=tcp";

        var path = await RegisterAsync(phone, proxy, contact);

        Assert.Matches(PathOf(proxy.Udp.Hop, outbound: true), path);
        await registrar.SendAsync(Invite(contact, $"Route: {path}"), proxy.Udp.Hop.EndPoint);
        var invite = await phone.ReadMessageAsync();
        Assert.StartsWith($"INVITE {contact} SIP/2.0\n", invite, StringComparison.Ordinal);
        Assert.DoesNotContain("\nRoute:", invite, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Tcp.ConnectionCount);

        // RFC 5626 §5.3: the dialog is record-routed with the flow too, so the registrar's ACK (and BYE) find the phone.
        var recordRoutes = Lines(invite, "Record-Route: ");
        Assert.Equal(2, recordRoutes.Length);
        Assert.Matches(RecordRouteOf(proxy.Tcp.Hop), recordRoutes[0]);
        Assert.Matches(RecordRouteOf(proxy.Udp.Hop), recordRoutes[1]);
        await phone.SendAsync(Answer(invite, "200 OK", toTag: "phone1"));
        var ok = await registrar.ReceiveAsync("SIP/2.0 200 OK\n");
        await registrar.SendAsync(Ack(contact, [.. Lines(ok, "Record-Route: ").Reverse()]), proxy.Udp.Hop.EndPoint);
        var ack = await phone.ReadMessageAsync();
        Assert.StartsWith($"ACK {contact} SIP/2.0\n", ack, StringComparison.Ordinal);
        Assert.DoesNotContain("\nRoute:", ack, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cores))]
    public async Task Rfc5626_5_3_PhonesConnectionClosed_RegistrarsInviteGets430FlowFailed(bool stateful)
    {
        await using var proxy = StartProxy(registrar.EndPoint, stateful);
        var contact = $"sip:alice@127.0.0.1:{UnusedPort(SocketType.Stream, ProtocolType.Tcp)};transport=tcp";
        string path;
        using (var phone = await StreamPeer.ConnectAsync(proxy.Tcp.Hop.EndPoint))
        {
            path = await RegisterAsync(phone, proxy, contact);
        }

        await Eventually.Holds(() => proxy.Tcp.ConnectionCount == 0, "the proxy to see the phone's connection close");
        await registrar.SendAsync(Invite(contact, $"Route: {path}"), proxy.Udp.Hop.EndPoint);

        // A slow machine may have the stateful core retransmit the REGISTER (Timer E) before the registrar's 200 arrived.
        var answer = await registrar.ReceiveAsync("SIP/2.0 ");
        Assert.StartsWith("SIP/2.0 430 Flow Failed\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cores))]
    public async Task Rfc5626_5_2_UdpPhone_PathNamesItsSourceAndTheInviteGoesThereNotToItsContact(bool stateful)
    {
        await using var proxy = StartProxy(registrar.EndPoint, stateful);
        using var phone = new UdpPeer();
        var unused = $"127.0.0.1:{UnusedPort(SocketType.Dgram, ProtocolType.Udp)}";
        var contact = $"sip:alice@{unused}";

        await phone.SendAsync(Register($"SIP/2.0/UDP {unused};rport", contact, "udp-phone"), proxy.Udp.Hop.EndPoint);
        var register = await registrar.ReceiveAsync();
        var path = Assert.Single(Lines(register, "Path: "));
        Assert.Matches(PathOf(proxy.Udp.Hop, outbound: true), path);
        await registrar.SendAsync(Invite(contact, $"Route: {path}"), proxy.Udp.Hop.EndPoint);

        Assert.StartsWith($"INVITE {contact} SIP/2.0\n", await phone.ReceiveAsync("INVITE "), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cores))]
    public async Task Rfc3327_PathTurnedOff_RegisterReachesTheRegistrarWithoutPath(bool stateful)
    {
        await using var proxy = StartProxy(registrar.EndPoint, stateful, path: false);
        using var phone = await StreamPeer.ConnectAsync(proxy.Tcp.Hop.EndPoint);

        await phone.SendAsync(Register($"SIP/2.0/TCP {phone.LocalEndPoint}", $"sip:alice@{phone.LocalEndPoint};transport=tcp", "path-off"));
        var register = await registrar.ReceiveAsync();

        Assert.StartsWith("REGISTER sip:example.com SIP/2.0\n", register, StringComparison.Ordinal);
        Assert.Empty(Lines(register, "Path: "));
        Assert.Empty(Lines(register, "Supported: "));
    }

    [Fact]
    public async Task Rfc5626_5_3_TamperedFlowToken_Gets403()
    {
        await using var proxy = StartProxy(registrar.EndPoint, stateful: true);
        using var phone = await StreamPeer.ConnectAsync(proxy.Tcp.Hop.EndPoint);
        var contact = $"sip:alice@127.0.0.1:{UnusedPort(SocketType.Stream, ProtocolType.Tcp)};transport=tcp";
        var path = await RegisterAsync(phone, proxy, contact);

        // The character before '@' is the last of the token's seal; changing it leaves a token of the right shape.
        var at = path.IndexOf('@', StringComparison.Ordinal);
        var tampered = path[..(at - 2)] + (path[at - 2] == 'A' ? 'B' : 'A') + path[(at - 1)..];
        await registrar.SendAsync(Invite(contact, $"Route: {tampered}"), proxy.Udp.Hop.EndPoint);

        Assert.StartsWith("SIP/2.0 403 Forbidden (flow token not valid)\n", await registrar.ReceiveAsync("SIP/2.0 "), StringComparison.Ordinal);
    }

    /// <summary>The phone registers over <paramref name="phone"/>; the registrar answers 200; returns the Path value it got.</summary>
    private async Task<string> RegisterAsync(StreamPeer phone, LoopbackProxy proxy, string contact)
    {
        await phone.SendAsync(Register($"SIP/2.0/TCP {phone.LocalEndPoint}", contact, $"tcp-{phone.LocalEndPoint.Port}"));
        var register = await registrar.ReceiveAsync();
        Assert.StartsWith("REGISTER sip:example.com SIP/2.0\n", register, StringComparison.Ordinal);
        Assert.Equal(["path"], Lines(register, "Supported: "));
        await registrar.SendAsync(Answer(register, "200 OK"), proxy.Udp.Hop.EndPoint);
        Assert.StartsWith("SIP/2.0 200 OK\n", await phone.ReadMessageAsync(), StringComparison.Ordinal);
        return Assert.Single(Lines(register, "Path: "));
    }

    private static string Register(string via, string contact, string callId) =>
        "REGISTER sip:example.com SIP/2.0\n" +
        $"Via: {via};branch=z9hG4bK{callId}\n" +
        "Max-Forwards: 70\n" +
        "To: <sip:alice@example.com>\n" +
        $"From: <sip:alice@example.com>;tag={callId}\n" +
        $"Call-ID: {callId}@phone\n" +
        "CSeq: 1 REGISTER\n" +
        $"Contact: <{contact}>\n" +
        "Expires: 3600\n" +
        "Content-Length: 0\n\n";

    private string Invite(string contact, string routes) =>
        $"INVITE {contact} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {registrar.EndPoint};branch=z9hG4bKcall1\n" +
        "Max-Forwards: 70\n" +
        $"{routes}\n" +
        "To: <sip:alice@example.com>\n" +
        "From: <sip:queue@example.com>;tag=srv1\n" +
        "Call-ID: call1@registrar\n" +
        "CSeq: 1 INVITE\n" +
        $"Contact: <sip:queue@{registrar.EndPoint}>\n" +
        "Content-Length: 0\n\n";

    private string Ack(string contact, string[] routes) =>
        $"ACK {contact} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {registrar.EndPoint};branch=z9hG4bKack1\n" +
        "Max-Forwards: 70\n" +
        $"Route: {string.Join(", ", routes)}\n" +
        "To: <sip:alice@example.com>;tag=phone1\n" +
        "From: <sip:queue@example.com>;tag=srv1\n" +
        "Call-ID: call1@registrar\n" +
        "CSeq: 1 ACK\n" +
        "Content-Length: 0\n\n";

    /// <summary>A response to <paramref name="request"/> as a user agent writes it: its Via, Record-Route, From, To, Call-ID and CSeq.</summary>
    private static string Answer(string request, string status, string toTag = "")
    {
        var head = request[..request.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n').Skip(1);
        var copied = head.Where(line => line.StartsWith("Via:", StringComparison.Ordinal) || line.StartsWith("Record-Route:", StringComparison.Ordinal)
                || line.StartsWith("From:", StringComparison.Ordinal) || line.StartsWith("Call-ID:", StringComparison.Ordinal) || line.StartsWith("CSeq:", StringComparison.Ordinal))
            .Append(head.First(line => line.StartsWith("To:", StringComparison.Ordinal)) + (toTag.Length > 0 ? $";tag={toTag}" : string.Empty));
        return $"SIP/2.0 {status}\n{string.Join('\n', copied)}\nContent-Length: 0\n\n";
    }

    private static string[] Lines(string message, string prefix) =>
        [.. message.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..])];

    private static Regex PathOf(LocalHop hop, bool outbound) =>
        new($"^<sip:{TokenPattern}@{Regex.Escape(hop.EndPoint.ToString())}{TransportParameter(hop)};lr{(outbound ? ";ob" : string.Empty)}>$");

    private static Regex RecordRouteOf(LocalHop hop) =>
        new($"^<sip:{TokenPattern}@{Regex.Escape(hop.EndPoint.ToString())}{TransportParameter(hop)};lr>$");

    private const string TokenPattern = "[A-Za-z0-9_-]{20,}";

    private static string TransportParameter(LocalHop hop) => hop.Transport == SipTransportKind.Udp ? string.Empty : $";transport={hop.Transport.ToString().ToLowerInvariant()}";

    /// <summary>A port nothing listens on once this returns, for a Contact that nobody can reach.</summary>
    private static int UnusedPort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private LoopbackProxy StartProxy(IPEndPoint registrar, bool stateful, bool path = true) =>
        LoopbackProxy.Start(stateful, new NamedTargetResolver(registrar), new ProxyCoreOptions { Path = path }, metrics);
}
