using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// A phone registers through a whole node over TCP, from a port of its own, while its Contact names a port nobody
/// listens on; the registrar is the active member of a UDP pair. With Path (RFC 3327, RFC 5626) the registrar's INVITE
/// for the phone reaches it over the connection it registered on.
/// </summary>
public sealed class RegistrationEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Rfc5626_TcpPhoneRegisteredThroughTheNode_RegistrarsInviteReachesItOverItsConnection()
    {
        await using var primary = new RegistrarServer();
        await using var backup = new RegistrarServer();
        await using var node = await StartNodeAsync(primary, backup);
        await using var phone = await StreamSipConnection.ConnectAsync(node.ListenerOf(SipTransportKind.Tcp));
        var contact = $"sip:alice@127.0.0.1:{FreePort.Tcp()};transport=tcp";

        await phone.SendAsync(Register(phone, contact));

        Assert.StartsWith("SIP/2.0 200 OK\r\n", await phone.ReceiveAsync(Patience), StringComparison.Ordinal);
        var path = Assert.Single(Lines(await primary.WaitForRequestAsync("REGISTER"), "Path: "));
        Assert.Matches($"^<sip:[A-Za-z0-9_-]+@{HostPort.Of(node.ListenerOf(SipTransportKind.Udp))};lr;ob>$", path);
        await primary.SendAsync(Invite(primary, contact, path), node.ListenerOf(SipTransportKind.Udp));
        var invite = await phone.ReceiveAsync(Patience);
        Assert.NotNull(invite);
        Assert.StartsWith($"INVITE {contact} SIP/2.0\r\n", invite, StringComparison.Ordinal);
        await phone.SendAsync(SipAnswers.Response(invite, "486 Busy Here", phone.LocalEndPoint, "tcp"));
        Assert.StartsWith("SIP/2.0 486 Busy Here\r\n", await primary.WaitForResponseAsync("SIP/2.0 486"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc3327_PathTurnedOff_RegisterReachesTheRegistrarWithoutPath()
    {
        await using var primary = new RegistrarServer();
        await using var backup = new RegistrarServer();
        await using var node = await StartNodeAsync(primary, backup, "--Proxy:Path=false");
        await using var phone = await StreamSipConnection.ConnectAsync(node.ListenerOf(SipTransportKind.Tcp));

        await phone.SendAsync(Register(phone, $"sip:alice@{phone.LocalHostPort};transport=tcp"));

        Assert.StartsWith("SIP/2.0 200 OK\r\n", await phone.ReceiveAsync(Patience), StringComparison.Ordinal);
        Assert.Empty(Lines(await primary.WaitForRequestAsync("REGISTER"), "Path: "));
    }

    private static async Task<ProxyNode> StartNodeAsync(RegistrarServer primary, RegistrarServer backup, params string[] overrides)
    {
        string[] listen = [$"udp://{HostPort.Of(FreePort.Udp())}", $"tcp://{HostPort.Of(FreePort.TcpOn(IPAddress.Loopback))}"];
        var node = await ProxyNode.StartAsync(HostPort.Of(primary.EndPoint), HostPort.Of(backup.EndPoint), listen, overrides);
        await node.WaitForPairAsync(status => status.Available && status.ActiveRole == MemberRole.Primary && status.Primary.Health == MemberHealth.Serving, "the primary to serve");
        return node;
    }

    /// <summary>A REGISTER addressed to the proxy itself, which sends it to its default pair.</summary>
    private static string Register(StreamSipConnection phone, string contact) =>
        $"REGISTER sip:{HostPort.Of(phone.RemoteEndPoint)};transport=tcp SIP/2.0\n" +
        $"Via: SIP/2.0/TCP {phone.LocalHostPort};branch=z9hG4bKreg-e2e\n" +
        "Max-Forwards: 70\n" +
        "To: <sip:alice@example.com>\n" +
        "From: <sip:alice@example.com>;tag=reg-e2e\n" +
        "Call-ID: reg-e2e@phone\n" +
        "CSeq: 1 REGISTER\n" +
        $"Contact: <{contact}>\n" +
        "Expires: 3600\n" +
        "Content-Length: 0\n\n";

    private static string Invite(RegistrarServer registrar, string contact, string path) =>
        $"INVITE {contact} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {HostPort.Of(registrar.EndPoint)};branch=z9hG4bKinv-e2e\n" +
        "Max-Forwards: 70\n" +
        $"Route: {path}\n" +
        "To: <sip:alice@example.com>\n" +
        "From: <sip:queue@example.com>;tag=queue-e2e\n" +
        "Call-ID: call-e2e@registrar\n" +
        "CSeq: 1 INVITE\n" +
        $"Contact: <sip:queue@{HostPort.Of(registrar.EndPoint)}>\n" +
        "Content-Length: 0\n\n";

    private static string[] Lines(string message, string prefix) =>
        [.. message.Split("\r\n").Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..])];
}
