using System.Net;
using System.Net.Sockets;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Simulation;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Transports;

/// <summary>
/// Calls through a whole proxy node where the caller and the servers speak different transports, on IPv4 and IPv6
/// loopback: UDP in and TCP out, TCP in and UDP out, TLS on both sides, and a request too large for UDP (over TCP,
/// over UDP when the server refuses TCP or the switch is off).
/// </summary>
public sealed class TransportEndToEndTests : IDisposable
{
    private readonly TestCertificateFiles certificates = new();

    public void Dispose() => certificates.Dispose();

    public static TheoryData<string> Loopbacks => ["127.0.0.1", "::1"];

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task UdpCallerAndTcpServers_CallCompletesOverBothTransports(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        await using var primary = StreamSipServer.Start(new IPEndPoint(address, 0));
        await using var backup = StreamSipServer.Start(new IPEndPoint(address, 0));
        await using var node = await StartNodeAsync(primary.MemberAddress, backup.MemberAddress, [Listen("udp", address), Listen("tcp", address)]);
        await using var caller = new UdpSipChannel(node.ListenerOf(SipTransportKind.Udp, address.AddressFamily));

        var call = await SipCall.PlaceAsync(caller, node.ListenerOf(SipTransportKind.Udp, address.AddressFamily));

        Assert.True(call.Completed, $"call ended {call}");
        var invite = Assert.Single(primary.RequestsOf("INVITE"));
        Assert.StartsWith($"SIP/2.0/TCP {HostPort.Of(node.ListenerOf(SipTransportKind.Tcp, address.AddressFamily))};branch=", Line(invite, "Via: "), StringComparison.Ordinal);
        Assert.Single(primary.RequestsOf("BYE"));
        Assert.Empty(backup.RequestsOf("INVITE"));
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task UdpCallerAndUdpServers_CallCompletes(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        await using var pair = StartUdpPair(address);
        var (primary, backup) = (pair.Primary, pair.Backup);
        await using var node = await StartNodeAsync(HostPort.Of(primary.EndPoint), HostPort.Of(backup.EndPoint), [Listen("udp", address)]);
        await using var caller = new UdpSipChannel(node.Sip);

        var call = await SipCall.PlaceAsync(caller, node.Sip);

        Assert.True(call.Completed, $"call ended {call}");
        Assert.Equal(1, primary.Counts.ByesAnswered);
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task TcpCallerAndUdpServers_CallCompletes(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        await using var pair = StartUdpPair(address);
        var (primary, backup) = (pair.Primary, pair.Backup);
        await using var node = await StartNodeAsync(HostPort.Of(primary.EndPoint), HostPort.Of(backup.EndPoint), [Listen("tcp", address), Listen("udp", address)]);
        await using var caller = await StreamSipConnection.ConnectAsync(node.ListenerOf(SipTransportKind.Tcp, address.AddressFamily));

        var call = await SipCall.PlaceAsync(caller, node.ListenerOf(SipTransportKind.Tcp, address.AddressFamily));

        Assert.True(call.Completed, $"call ended {call}");
        Assert.Equal(1, primary.Counts.InvitesAnswered);
        Assert.Equal(1, primary.Counts.ByesAnswered);
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task TlsCallerAndTlsServers_CallCompletesWithCertificatesChecked(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var serverCertificate = certificates.LoadServerCertificate();
        await using var primary = StreamSipServer.Start(new IPEndPoint(address, 0), serverCertificate);
        await using var backup = StreamSipServer.Start(new IPEndPoint(address, 0), serverCertificate);
        await using var node = await StartNodeAsync(
            primary.MemberAddress,
            backup.MemberAddress,
            [Listen("tls", address)],
            $"--Proxy:Tls:Certificate={certificates.CertificatePath}",
            $"--Proxy:Tls:PrivateKey={certificates.PrivateKeyPath}",
            $"--Proxy:Tls:ServerAuthorities={certificates.AuthorityPath}");
        await using var caller = await StreamSipConnection.ConnectAsync(node.ListenerOf(SipTransportKind.Tls, address.AddressFamily), certificates.LoadAuthorities());

        var call = await SipCall.PlaceAsync(caller, node.ListenerOf(SipTransportKind.Tls, address.AddressFamily));

        Assert.True(call.Completed, $"call ended {call}");
        Assert.StartsWith("SIP/2.0/TLS ", Line(Assert.Single(primary.RequestsOf("INVITE")), "Via: "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsServerWithAnUntrustedCertificate_IsNeverUp()
    {
        using var serverCertificate = certificates.LoadServerCertificate();
        await using var primary = StreamSipServer.Start(new IPEndPoint(IPAddress.Loopback, 0), serverCertificate);
        await using var backup = StreamSipServer.Start(new IPEndPoint(IPAddress.Loopback, 0), serverCertificate);
        await using var node = await ProxyNode.StartAsync(
            primary.MemberAddress,
            backup.MemberAddress,
            [Listen("udp", IPAddress.Loopback), Listen("tls", IPAddress.Loopback)],
            $"--Proxy:Tls:Certificate={certificates.CertificatePath}",
            $"--Proxy:Tls:PrivateKey={certificates.PrivateKeyPath}",
            $"--Proxy:Tls:ServerAuthorities={certificates.UntrustedAuthorityPath}");

        var status = await node.WaitForPairAsync(pair => pair.Primary.Health == MemberHealth.Down, "the primary marked down");

        Assert.False(status.Available);
        Assert.Empty(primary.RequestsOf("OPTIONS"));
    }

    [Fact]
    public async Task TlsServersConfiguredByName_TheirCertificatesCarryIt_CallCompletes()
    {
        var localhost = Dns.GetHostAddresses("localhost")[0];
        using var serverCertificate = certificates.LoadServerCertificate();
        await using var primary = StreamSipServer.Start(new IPEndPoint(localhost, 0), serverCertificate);
        await using var backup = StreamSipServer.Start(new IPEndPoint(localhost, 0), serverCertificate);
        await using var node = await StartNodeAsync(
            ByName(primary),
            ByName(backup),
            [Listen("tls", localhost)],
            $"--Proxy:Tls:Certificate={certificates.CertificatePath}",
            $"--Proxy:Tls:PrivateKey={certificates.PrivateKeyPath}",
            $"--Proxy:Tls:ServerAuthorities={certificates.AuthorityPath}");
        await using var caller = await StreamSipConnection.ConnectAsync(node.Sip, certificates.LoadAuthorities());

        var call = await SipCall.PlaceAsync(caller, node.Sip);

        Assert.True(call.Completed, $"call ended {call}");
    }

    [Fact]
    public async Task TlsServerConfiguredByName_CertificateForAnotherNameFromTheTrustedAuthority_IsNeverUp()
    {
        var localhost = Dns.GetHostAddresses("localhost")[0];
        using var otherName = certificates.LoadOtherNameCertificate();
        await using var primary = StreamSipServer.Start(new IPEndPoint(localhost, 0), otherName);
        await using var backup = StreamSipServer.Start(new IPEndPoint(localhost, 0), otherName);
        await using var node = await ProxyNode.StartAsync(
            ByName(primary),
            ByName(backup),
            [Listen("udp", localhost), Listen("tls", localhost)],
            $"--Proxy:Tls:Certificate={certificates.CertificatePath}",
            $"--Proxy:Tls:PrivateKey={certificates.PrivateKeyPath}",
            $"--Proxy:Tls:ServerAuthorities={certificates.AuthorityPath}");

        var status = await node.WaitForPairAsync(pair => pair.Primary.Health == MemberHealth.Down, "the primary marked down");

        Assert.False(status.Available);
        Assert.Empty(primary.RequestsOf("OPTIONS"));
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task InviteTooLargeForUdp_GoesOnToTheServerOverTcp(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        await using var pair = StartUdpPair(address);
        var (primary, backup) = (pair.Primary, pair.Backup);

        // The server takes TCP on its UDP port, as RFC 3261 §18.1.1 expects of a server that may get large requests.
        await using var primaryOverTcp = StreamSipServer.Start(primary.EndPoint);
        await using var node = await StartNodeAsync(HostPort.Of(primary.EndPoint), HostPort.Of(backup.EndPoint), [Listen("udp", address), Listen("tcp", address)]);
        await using var caller = new UdpSipChannel(node.ListenerOf(SipTransportKind.Udp, address.AddressFamily));

        var call = await SipCall.PlaceAsync(caller, node.ListenerOf(SipTransportKind.Udp, address.AddressFamily), bodyBytes: 3000);

        Assert.Equal(200, call.InviteStatus);
        Assert.True(Assert.Single(primaryOverTcp.RequestsOf("INVITE")).Length > 3000);
        Assert.Equal(0, primary.Counts.InvitesReceived);
    }

    [Fact]
    public async Task InviteTooLargeForUdp_ServerRefusesTcp_GoesOnOverUdpAndTheCallCompletes()
    {
        await using var pair = StartUdpPair(IPAddress.Loopback);
        var (primary, backup) = (pair.Primary, pair.Backup);
        await using var node = await StartNodeAsync(HostPort.Of(primary.EndPoint), HostPort.Of(backup.EndPoint), [Listen("udp", IPAddress.Loopback), Listen("tcp", IPAddress.Loopback)]);
        await using var caller = new UdpSipChannel(node.ListenerOf(SipTransportKind.Udp));

        var call = await SipCall.PlaceAsync(caller, node.ListenerOf(SipTransportKind.Udp), bodyBytes: 3000);

        Assert.True(call.Completed, $"call ended {call}");
        Assert.Equal(1, primary.Counts.InvitesReceived);
        Assert.Equal(0, backup.Counts.InvitesReceived);
    }

    [Fact]
    public async Task InviteTooLargeForUdp_UdpMaxRequestBytesZero_StaysOnUdpThoughTheServerTakesTcp()
    {
        await using var pair = StartUdpPair(IPAddress.Loopback);
        var (primary, backup) = (pair.Primary, pair.Backup);
        await using var primaryOverTcp = StreamSipServer.Start(primary.EndPoint);
        await using var node = await StartNodeAsync(
            HostPort.Of(primary.EndPoint),
            HostPort.Of(backup.EndPoint),
            [Listen("udp", IPAddress.Loopback), Listen("tcp", IPAddress.Loopback)],
            "--Proxy:Udp:MaxRequestBytes=0");
        await using var caller = new UdpSipChannel(node.ListenerOf(SipTransportKind.Udp));

        var call = await SipCall.PlaceAsync(caller, node.ListenerOf(SipTransportKind.Udp), bodyBytes: 3000);

        Assert.True(call.Completed, $"call ended {call}");
        Assert.Equal(1, primary.Counts.InvitesReceived);
        Assert.Empty(primaryOverTcp.RequestsOf("INVITE"));
    }

    private static async Task<ProxyNode> StartNodeAsync(string primary, string backup, string[] listen, params string[] overrides)
    {
        var node = await ProxyNode.StartAsync(primary, backup, listen, overrides);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        return node;
    }

    private static string ByName(StreamSipServer server) => $"tls://localhost:{server.EndPoint.Port}";

    private static string Listen(string transport, IPAddress address) =>
        $"{transport}://{HostPort.Of(transport == "udp" ? FreePort.UdpOn(address) : FreePort.TcpOn(address))}";

    private static SimulatedHaPair StartUdpPair(IPAddress address) =>
        SimulatedHaPair.Start(new SimulatedHaPairOptions { PrimaryEndPoint = new IPEndPoint(address, 0), BackupEndPoint = new IPEndPoint(address, 0) });

    private static string Line(string message, string prefix) =>
        message.Split("\r\n").First(line => line.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
