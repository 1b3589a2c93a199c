using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Probing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Probing;

public sealed class OptionsProberStreamTests : IDisposable
{
    private readonly SipMetrics metrics = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task ProbeAsync_OverTcp_ServerAnswers_ReportsAnsweredWithStatusAndTcpVia()
    {
        using var listening = StreamTransportTests.ListeningSocket(IPAddress.Loopback);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, new StreamTransportOptions(), metrics, NullLogger<OptionsProber>.Instance, TimeProvider.System);
        var serving = AnswerOnOneConnectionAsync(listening, probes: 1);

        var result = await prober.ProbeAsync((IPEndPoint)listening.LocalEndPoint!, SipTransportKind.Tcp, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(result.Answered);
        Assert.Equal(404, result.StatusCode);
        var request = Assert.Single(await serving);
        Assert.StartsWith("OPTIONS sip:127.0.0.1:", request, StringComparison.Ordinal);
        Assert.Contains("\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKprobe", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_OverTcp_Twice_ReusesTheConnection()
    {
        using var listening = StreamTransportTests.ListeningSocket(IPAddress.Loopback);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, new StreamTransportOptions(), metrics, NullLogger<OptionsProber>.Instance, TimeProvider.System);
        var target = (IPEndPoint)listening.LocalEndPoint!;

        // The server accepts one connection only: the second probe is answered only if it comes over the same one.
        var serving = AnswerOnOneConnectionAsync(listening, probes: 2);
        var first = await prober.ProbeAsync(target, SipTransportKind.Tcp, TimeSpan.FromSeconds(10), CancellationToken.None);
        var second = await prober.ProbeAsync(target, SipTransportKind.Tcp, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(first.Answered);
        Assert.True(second.Answered);
        Assert.Equal(2, (await serving).Count);
    }

    [Fact]
    public async Task ProbeAsync_OverTcp_NothingListening_ReportsNoAnswerWithoutWaitingForTheTimeout()
    {
        int closedPort;
        using (var probe = StreamTransportTests.ListeningSocket(IPAddress.Loopback))
        {
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var prober = OptionsProber.Bind(IPAddress.Loopback, new StreamTransportOptions(), metrics, NullLogger<OptionsProber>.Instance, TimeProvider.System);
        var timeout = TimeSpan.FromSeconds(30);

        var result = await prober.ProbeAsync(new IPEndPoint(IPAddress.Loopback, closedPort), SipTransportKind.Tcp, timeout, CancellationToken.None);

        Assert.False(result.Answered);
        Assert.True(result.RoundTrip < timeout, "the refused connection, not the time-out, decided");
    }

    [Fact]
    public async Task ProbeAsync_OverTls_ServerAnswers_ReportsAnsweredWithTlsVia()
    {
        var serverHandler = new ChannelHandler(answerRequestsWith: 200);
        await using var server = StreamTransport.Bind(SipTransportKind.Tls, new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions { TlsServer = new TlsServerSettings(TestCertificates.Server) }, NullLogger.Instance, metrics);
        server.Start(serverHandler, maxPending: 4);
        var streamOptions = new StreamTransportOptions { TlsClient = new TlsClientSettings(TestCertificates.Authorities) };
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, streamOptions, metrics, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        var result = await prober.ProbeAsync(server.Hop.EndPoint, SipTransportKind.Tls, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(result.Answered);
        Assert.Equal(200, result.StatusCode);
        Assert.Contains("\nVia: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKprobe", (await serverHandler.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_UdpKind_StillProbesOverUdp()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);
        var buffer = new byte[4096];
        var receiving = silent.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));

        var result = await prober.ProbeAsync((IPEndPoint)silent.LocalEndPoint!, SipTransportKind.Udp, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.False(result.Answered);
        Assert.Contains("\nVia: SIP/2.0/UDP 127.0.0.1:", SipText.Text(buffer.AsSpan(0, await receiving)), StringComparison.Ordinal);
    }

    /// <summary>A tiny SIP server: accepts one connection and answers each of <paramref name="probes"/> requests on it with 404.</summary>
    private static async Task<List<string>> AnswerOnOneConnectionAsync(Socket listening, int probes)
    {
        using var connection = await StreamPeer.AcceptAsync(listening);
        var requests = new List<string>();
        for (var i = 0; i < probes; i++)
        {
            var text = await connection.ReadMessageAsync();
            requests.Add(text);
            using var response = ResponseFactory.Create(SipText.Parse(text), ProductName.None, 404, "Not Found");
            await connection.SendAsync(response.Memory.ToArray());
        }

        return requests;
    }
}
