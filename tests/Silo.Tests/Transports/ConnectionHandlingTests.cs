using System.Net;
using System.Text;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Transports;

/// <summary>
/// How a whole node treats TCP connections from user agents and to servers: idle ones are closed, a limit refuses
/// new ones but keeps calls on existing ones going, a broken half message costs nothing else, and a server
/// connection that drops mid-call is opened again for the next request.
/// </summary>
public sealed class ConnectionHandlingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task PeerThatSendsNothing_IsClosedAtTheIdleTimeout()
    {
        await using var servers = StartUdpPair();
        await using var node = await StartNodeAsync(servers, "--Proxy:Connections:IdleTimeoutMs=1000");
        await using var silent = await StreamSipConnection.ConnectAsync(node.ListenerOf(SipTransportKind.Tcp));

        Assert.True(await silent.WaitForCloseAsync(Patience), "the idle connection was not closed");
    }

    [Fact]
    public async Task PastTheConnectionLimit_NewConnectionsAreRefusedWhileCallsOnExistingOnesGoOn()
    {
        await using var servers = StartUdpPair();
        await using var node = await StartNodeAsync(servers, "--Proxy:Connections:MaxConnections=2", "--Proxy:Connections:MaxPerPeer=2");
        var proxy = node.ListenerOf(SipTransportKind.Tcp);
        await using var first = await StreamSipConnection.ConnectAsync(proxy);
        await using var second = await StreamSipConnection.ConnectAsync(proxy);
        Assert.True((await SipCall.PlaceAsync(first, proxy)).Completed);

        await using var third = await StreamSipConnection.ConnectAsync(proxy);

        Assert.True(await third.WaitForCloseAsync(Patience), "the connection past the limit was not closed");
        Assert.True((await SipCall.PlaceAsync(second, proxy)).Completed);
        Assert.True((await SipCall.PlaceAsync(first, proxy)).Completed);
    }

    [Fact]
    public async Task HalfAMessageThenClose_LosesNothingElse()
    {
        await using var servers = StartUdpPair();
        await using var node = await StartNodeAsync(servers);
        var proxy = node.ListenerOf(SipTransportKind.Tcp);
        await using var caller = await StreamSipConnection.ConnectAsync(proxy);

        await using (var broken = await StreamSipConnection.ConnectAsync(proxy))
        {
            await broken.SendRawAsync(Encoding.ASCII.GetBytes($"INVITE sip:service@{HostPort.Of(proxy)} SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKhalf\r\nContent-Length: 500\r\n\r\nv=0"));
        }

        var call = await SipCall.PlaceAsync(caller, proxy);

        Assert.True(call.Completed, $"call ended {call}");
        Assert.Equal(1, servers.Primary.Counts.InvitesReceived);
    }

    [Fact]
    public async Task ServerConnectionDropsMidCall_TheByeOpensANewOneAndArrives()
    {
        await using var primary = StreamSipServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var backup = StreamSipServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var node = await ProxyNode.StartAsync(primary.MemberAddress, backup.MemberAddress, [$"udp://{FreePort.Udp()}", $"tcp://127.0.0.1:{FreePort.Tcp()}"]);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        await using var caller = new UdpSipChannel(node.Sip);
        var droppingAfterAck = DropConnectionsAfterAckAsync(primary);

        var call = await SipCall.PlaceAsync(caller, node.Sip);

        await droppingAfterAck;
        Assert.True(call.Completed, $"call ended {call}");
        Assert.Single(primary.RequestsOf("BYE"));
        Assert.True(primary.Accepted >= 2, "the proxy did not open a new connection for the BYE");
    }

    private static async Task DropConnectionsAfterAckAsync(StreamSipServer server)
    {
        await server.WaitForRequestAsync("ACK");
        await server.DropConnectionsAsync();
    }

    private static SimulatedHaPair StartUdpPair() => SimulatedHaPair.Start();

    private static async Task<ProxyNode> StartNodeAsync(SimulatedHaPair servers, params string[] overrides)
    {
        var node = await ProxyNode.StartAsync(
            HostPort.Of(servers.Primary.EndPoint),
            HostPort.Of(servers.Backup.EndPoint),
            [$"udp://{FreePort.Udp()}", $"tcp://127.0.0.1:{FreePort.Tcp()}"],
            overrides);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        return node;
    }
}
