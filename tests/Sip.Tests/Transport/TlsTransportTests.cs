using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

public sealed class TlsTransportTests : IDisposable
{
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;

    public TlsTransportTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task SendAsync_TrustedServer_RequestAndAnswerCrossTls()
    {
        var serverHandler = new ChannelHandler(answerRequestsWith: 200);
        await using var server = Listen(serverHandler, new TlsServerSettings(TestCertificates.Server));
        var answers = new ChannelHandler();
        await using var client = Client(answers, new TlsClientSettings(TestCertificates.Authorities));

        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("over-tls")), server.Hop.EndPoint, CancellationToken.None));

        Assert.Contains("Call-ID: over-tls\n", (await serverHandler.NextAsync()).Text, StringComparison.Ordinal);
        var answer = await answers.NextAsync();
        Assert.StartsWith("SIP/2.0 200 Answered\n", answer.Text, StringComparison.Ordinal);
        Assert.Equal(server.Hop.EndPoint, answer.Source);
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.opened", "direction", "outbound"));
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.connections.opened", "direction", "inbound"));
    }

    [Fact]
    public async Task SendAsync_ClientCertificateRequiredAndPresented_IsServed()
    {
        var serverHandler = new ChannelHandler();
        await using var server = Listen(serverHandler, new TlsServerSettings(TestCertificates.Server, RequireClientCertificate: true, TestCertificates.Authorities));
        await using var client = Client(new ChannelHandler(), new TlsClientSettings(TestCertificates.Authorities, ClientCertificate: TestCertificates.Client));

        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("mutual")), server.Hop.EndPoint, CancellationToken.None));

        Assert.Contains("Call-ID: mutual\n", (await serverHandler.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_ClientCertificateRequiredAndMissing_ClosesTheConnection()
    {
        var serverHandler = new ChannelHandler();
        await using var server = Listen(serverHandler, new TlsServerSettings(TestCertificates.Server, RequireClientCertificate: true, TestCertificates.Authorities));
        await using var client = Client(new ChannelHandler(), new TlsClientSettings(TestCertificates.Authorities));

        // Under TLS 1.3 the client may finish its side of the handshake before the server refuses it, so the send itself may succeed.
        await client.SendAsync(SipText.Wire(StreamMessages.Options("anonymous")), server.Hop.EndPoint, CancellationToken.None);

        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "tls_failed");
        Assert.Equal(0, server.ConnectionCount);
        Assert.Equal(0, serverHandler.Waiting);
    }

    [Fact]
    public async Task Accept_ClientThatNeverHandshakes_IsClosedAtTheConnectTimeout()
    {
        var options = new StreamTransportOptions { TlsServer = new TlsServerSettings(TestCertificates.Server), ConnectTimeout = TimeSpan.FromMilliseconds(200) };
        await using var server = StreamTransport.Bind(SipTransportKind.Tls, new IPEndPoint(IPAddress.Loopback, 0), options, NullLogger.Instance, metrics);
        server.Start(new ChannelHandler(), maxPending: 4);

        using var silent = await StreamPeer.ConnectAsync(server.Hop.EndPoint);

        Assert.True(await silent.ClosedByOtherSideAsync());
        await recorded.WaitForAsync("orleansproxy.sip.connections.closed", "reason", "tls_failed");
    }

    [Fact]
    public async Task SendAsync_ServerCertificateFromAnUntrustedAuthority_ReturnsFalse()
    {
        var serverHandler = new ChannelHandler();
        await using var server = Listen(serverHandler, new TlsServerSettings(TestCertificates.UntrustedServer));
        await using var client = Client(new ChannelHandler(), new TlsClientSettings(TestCertificates.Authorities));

        Assert.False(await client.SendAsync(SipText.Wire(StreamMessages.Options("untrusted")), server.Hop.EndPoint, CancellationToken.None));
        Assert.Equal(0, client.ConnectionCount);
    }

    [Fact]
    public async Task SendAsync_SkipCertificateValidation_AcceptsAnUntrustedServer()
    {
        var serverHandler = new ChannelHandler();
        await using var server = Listen(serverHandler, new TlsServerSettings(TestCertificates.UntrustedServer));
        await using var client = Client(new ChannelHandler(), new TlsClientSettings(SkipCertificateValidation: true));

        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("lab")), server.Hop.EndPoint, CancellationToken.None));
        Assert.Contains("Call-ID: lab\n", (await serverHandler.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("other.example.com", false)]
    public async Task SendAsync_TargetHostGiven_ChecksTheNameToo(string hostName, bool accepted)
    {
        await using var server = Listen(new ChannelHandler(), new TlsServerSettings(TestCertificates.Server));
        await using var client = Client(new ChannelHandler(), new TlsClientSettings(TestCertificates.Authorities, TargetHostFor: _ => hostName));

        Assert.Equal(accepted, await client.SendAsync(SipText.Wire(StreamMessages.Options("named")), server.Hop.EndPoint, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Ipv6_RequestAndAnswer_OverLoopback()
    {
        Skip.IfNot(Socket.OSSupportsIPv6 && StreamTransportTests.CanBind(IPAddress.IPv6Loopback), "::1 cannot be bound here");
        var serverHandler = new ChannelHandler(answerRequestsWith: 200);
        var options = new StreamTransportOptions { TlsServer = new TlsServerSettings(TestCertificates.Server) };
        await using var server = StreamTransport.Bind(SipTransportKind.Tls, new IPEndPoint(IPAddress.IPv6Loopback, 0), options, NullLogger.Instance, metrics);
        server.Start(serverHandler, maxPending: 4);
        var answers = new ChannelHandler();
        await using var client = StreamTransport.CreateClient(SipTransportKind.Tls, IPAddress.IPv6Loopback, new StreamTransportOptions { TlsClient = new TlsClientSettings(TestCertificates.Authorities) }, NullLogger.Instance, metrics);
        client.Start(answers, maxPending: 4);

        Assert.True(await client.SendAsync(SipText.Wire(StreamMessages.Options("tls-ipv6")), server.Hop.EndPoint, CancellationToken.None));

        Assert.Equal(IPAddress.IPv6Loopback, (await serverHandler.NextAsync()).Source.Address);
        Assert.StartsWith("SIP/2.0 200 Answered\n", (await answers.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_TlsWithoutServerSettings_FailsAtOnce()
    {
        Assert.Throws<ArgumentException>(() => StreamTransport.Bind(SipTransportKind.Tls, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), NullLogger.Instance, metrics));
    }

    private StreamTransport Listen(ChannelHandler handler, TlsServerSettings settings)
    {
        var transport = StreamTransport.Bind(SipTransportKind.Tls, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions { TlsServer = settings }, NullLogger.Instance, metrics);
        transport.Start(handler, maxPending: 4);
        return transport;
    }

    private StreamTransport Client(ChannelHandler handler, TlsClientSettings settings)
    {
        var transport = StreamTransport.CreateClient(SipTransportKind.Tls, IPAddress.Loopback, new StreamTransportOptions { TlsClient = settings }, NullLogger.Instance, metrics);
        transport.Start(handler, maxPending: 4);
        return transport;
    }
}
