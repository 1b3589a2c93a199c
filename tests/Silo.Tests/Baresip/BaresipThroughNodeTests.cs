using System.Net;
using System.Text.RegularExpressions;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Baresip;

/// <summary>
/// A real SIP phone (Debian's baresip, headless) on TCP through a node to a registrar and callee on UDP: it
/// registers through the pool, calls through it, and is called back over its own connection.
/// </summary>
[Trait("Category", "Baresip")]
public sealed partial class BaresipThroughNodeTests
{
    private const string NotInstalled = "baresip is not installed (Debian package baresip-core).";
    private const string NoAddress = "baresip 1.0 needs an IPv4 interface address besides loopback to start; this machine has none.";

    // Generous: on a loaded machine baresip may take seconds to start its SIP stack before it registers or dials.
    private static readonly TimeSpan PhoneLifetime = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan RegisterTimeout = TimeSpan.FromSeconds(40);

    // Registration, then the server's call, a second of talk and its BYE.
    private static readonly TimeSpan CallBackLifetime = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task PhoneOnTcp_RegistersThroughTheNode_Rfc3261Section10()
    {
        Skip.IfNot(BaresipPhone.IsInstalled, NotInstalled);
        Skip.IfNot(BaresipPhone.CanStart, NoAddress);
        await using var servers = await ServersAndNode.StartAsync();
        await using var phone = BaresipPhone.Start("alice", servers.NodeTcp, register: true, [], PhoneLifetime);

        var register = await Eventually.Satisfies(
            () => Task.FromResult(servers.Primary.RequestsOf("REGISTER")), found => found.Count > 0, "a REGISTER at the server", RegisterTimeout);
        await phone.WaitForExitAsync(ExitTimeout);

        Assert.StartsWith($"REGISTER sip:{BaresipPhone.Domain}", register[0], StringComparison.Ordinal);
        Assert.Contains("200 OK", phone.Output, StringComparison.Ordinal);
        Assert.Empty(servers.Backup.RequestsOf("REGISTER"));
    }

    [SkippableFact]
    public async Task PhoneOnTcp_CallsThroughTheNodeAndHangsUp_Rfc3261Section16()
    {
        Skip.IfNot(BaresipPhone.IsInstalled, NotInstalled);
        Skip.IfNot(BaresipPhone.CanStart, NoAddress);
        await using var servers = await ServersAndNode.StartAsync();
        await using var phone = BaresipPhone.Start("alice", servers.NodeTcp, register: false, [$"/dial sip:bob@{BaresipPhone.Domain}"], PhoneLifetime);

        await phone.WaitForExitAsync(ExitTimeout);

        Assert.True(servers.Primary.RequestsOf("INVITE").Count == 1, $"--- baresip ---\n{phone.Output}\n--- node ---\n{servers.Node.Log}");
        var invite = servers.Primary.RequestsOf("INVITE")[0];
        Assert.StartsWith($"INVITE sip:bob@{BaresipPhone.Domain}", invite, StringComparison.Ordinal);
        var trace = $"--- baresip ---\n{phone.Output}\n--- node ---\n{servers.Node.Log}";
        Assert.True(servers.Primary.RequestsOf("ACK").Count == 1, $"no ACK at the server\n{trace}");
        Assert.True(servers.Primary.RequestsOf("BYE").Count == 1, $"no BYE at the server\n{trace}");
        Assert.Empty(servers.Backup.RequestsOf("INVITE"));
    }

    [SkippableFact]
    public async Task PhoneOnTcpFromAnEphemeralPort_TheServersCallReachesItOverThatConnection_Rfc5626Section5_3()
    {
        Skip.IfNot(BaresipPhone.IsInstalled, NotInstalled);
        Skip.IfNot(BaresipPhone.CanStart, NoAddress);
        await using var servers = await ServersAndNode.StartAsync();
        await using var phone = BaresipPhone.Start("alice", servers.NodeTcp, register: true, [], CallBackLifetime);
        var register = await Eventually.Satisfies(
            () => Task.FromResult(servers.Primary.RequestsOf("REGISTER")), found => found.Count > 0, "a REGISTER at the server", RegisterTimeout);

        // The phone as a NAT shows it: its Contact names an address nobody can reach, so only its own connection will do.
        var contact = RegistrarServer.HeaderValues(register[0], "Contact", "m")[0];
        var unreachable = UserPartRegex().Replace(contact, "$1@198.51.100.1:5060;transport=tcp>");
        var call = await servers.Primary.CallRegisteredPhoneAsync(register[0].Replace(contact, unreachable, StringComparison.Ordinal), servers.NodeUdp, TimeSpan.FromSeconds(1));
        await phone.WaitForExitAsync(ExitTimeout);

        var path = Assert.Single(RegistrarServer.HeaderValues(register[0], "Path", null));
        Assert.Matches("^<sip:[^@;>]+@127\\.0\\.0\\.1:[0-9]+;lr;ob>$", path);
        var trace = $"--- baresip ---\n{phone.Output}\n--- node ---\n{servers.Node.Log}";
        Assert.True(call == (200, 200), $"INVITE {call.Invite}, BYE {call.Bye}\n{trace}");
        Assert.Contains("198.51.100.1:5060", phone.Output, StringComparison.Ordinal);
    }

    /// <summary>The server pair behind a node with a TCP listener for the phone and a UDP listener for the servers.</summary>
    private sealed class ServersAndNode : IAsyncDisposable
    {
        private ServersAndNode(RegistrarServer primary, RegistrarServer backup, ProxyNode node)
        {
            Primary = primary;
            Backup = backup;
            Node = node;
        }

        public RegistrarServer Primary { get; }

        public RegistrarServer Backup { get; }

        public ProxyNode Node { get; }

        public IPEndPoint NodeTcp => Node.ListenerOf(SipTransportKind.Tcp);

        public IPEndPoint NodeUdp => Node.ListenerOf(SipTransportKind.Udp);

        public static async Task<ServersAndNode> StartAsync()
        {
            var primary = new RegistrarServer();
            var backup = new RegistrarServer();
            var node = await ProxyNode.StartAsync(
                primary.EndPoint.ToString(),
                backup.EndPoint.ToString(),
                [$"tcp://127.0.0.1:{FreePort.Tcp()}", $"udp://{FreePort.Udp()}"],
                $"--Proxy:Routing:Rules:0:Domain={BaresipPhone.Domain}",
                $"--Proxy:Routing:Rules:0:Pair={ProxyNode.Pair}");
            await node.WaitForPairAsync(status => status.Available && status.Primary.Health == MemberHealth.Serving, "the primary to serve");
            return new ServersAndNode(primary, backup, node);
        }

        public async ValueTask DisposeAsync()
        {
            await Node.DisposeAsync();
            await Primary.DisposeAsync();
            await Backup.DisposeAsync();
        }
    }

    // "<sip:alice-0x55...@127.0.0.1:40000;transport=tcp>": keeps "<sip:user", drops the rest.
    [GeneratedRegex("^(<sip:[^@]+)@.*$")]
    private static partial Regex UserPartRegex();
}
