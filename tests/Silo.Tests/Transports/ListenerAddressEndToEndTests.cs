using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Transports;

/// <summary>
/// Whole nodes whose listeners name themselves otherwise than by a plain bound address: one on 0.0.0.0 that advertises
/// 127.0.0.1, and a dual-homed one (127.0.0.1 towards the caller, 127.0.0.2 towards the pair at 127.0.0.3).
/// </summary>
public sealed class ListenerAddressEndToEndTests
{
    [Fact]
    public async Task Rfc3261_16_6_NodeOnAWildcardListener_ViaRecordRouteAndProbesNameTheAdvertisedAddress()
    {
        await using var primary = UdpSipServer.Start(IPAddress.Loopback);
        await using var backup = UdpSipServer.Start(IPAddress.Loopback);
        var port = FreePort.UdpOn(IPAddress.Any).Port;
        await using var node = await ProxyNode.StartAsync(HostPort.Of(primary.EndPoint), HostPort.Of(backup.EndPoint), [$"udp://0.0.0.0:{port};advertise=127.0.0.1"]);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        var sip = new IPEndPoint(IPAddress.Loopback, port);
        await using var caller = new UdpSipChannel(sip);

        var call = await SipCall.PlaceAsync(caller, sip);

        Assert.True(call.Completed, $"call ended {call}");
        var (invite, _) = Assert.Single(primary.RequestsOf("INVITE"));
        Assert.StartsWith($"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=", Line(invite, "Via: "), StringComparison.Ordinal);
        Assert.Equal($"Record-Route: <sip:127.0.0.1:{port};lr>", Line(invite, "Record-Route: "));
        Assert.DoesNotContain("0.0.0.0", invite, StringComparison.Ordinal);
        var (probe, _) = primary.RequestsOf("OPTIONS")[0];
        Assert.StartsWith("Via: SIP/2.0/UDP 127.0.0.1:", Line(probe, "Via: "), StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0", probe, StringComparison.Ordinal);
        Assert.Single(primary.RequestsOf("BYE"));
    }

    [Fact]
    public async Task Rfc5658_4_DualHomedNode_ThePairsEgressListenerCarriesItsCallsAndProbesWithTwoRecordRoutes()
    {
        var servers = IPAddress.Parse("127.0.0.3");
        await using var primary = UdpSipServer.Start(servers);
        await using var backup = UdpSipServer.Start(servers);
        var phoneSide = FreePort.UdpOn(IPAddress.Loopback);
        var serverSide = FreePort.UdpOn(IPAddress.Parse("127.0.0.2"));
        await using var node = await ProxyNode.StartAsync(
            HostPort.Of(primary.EndPoint),
            HostPort.Of(backup.EndPoint),
            [$"udp://{phoneSide}", $"udp://{serverSide}"],
            $"--Proxy:Pairs:0:Egress=udp://{serverSide}");
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        await using var caller = new UdpSipChannel(phoneSide);

        var call = await SipCall.PlaceAsync(caller, phoneSide);

        Assert.True(call.Completed, $"call ended {call}");
        var (invite, inviteSource) = Assert.Single(primary.RequestsOf("INVITE"));
        Assert.Equal(serverSide, inviteSource);
        Assert.StartsWith($"Via: SIP/2.0/UDP {serverSide};branch=", Line(invite, "Via: "), StringComparison.Ordinal);
        Assert.Equal([$"Record-Route: <sip:{serverSide};lr>", $"Record-Route: <sip:{phoneSide};lr>"], Lines(invite, "Record-Route: "));
        var (bye, byeSource) = Assert.Single(primary.RequestsOf("BYE"));
        Assert.Equal(serverSide, byeSource);
        Assert.Empty(Lines(bye, "Route: "));
        Assert.All(primary.RequestsOf("OPTIONS"), probe => Assert.Equal(serverSide.Address, probe.Source.Address));
    }

    private static string Line(string message, string prefix) => Lines(message, prefix)[0];

    private static string[] Lines(string message, string prefix) =>
        [.. message.Split("\r\n").Where(line => line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))];
}
