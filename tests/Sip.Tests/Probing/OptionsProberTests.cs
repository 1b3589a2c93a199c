using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Probing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Probing;

public sealed class OptionsProberTests
{
    [Fact]
    public async Task ProbeAsync_ServerAnswers_ReportsAnsweredWithStatus()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);
        var answering = AnswerOnceAsync(server, 404);

        var result = await prober.ProbeAsync((IPEndPoint)server.LocalEndPoint!, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(result.Answered);
        Assert.Equal(404, result.StatusCode);
        Assert.True(result.RoundTrip > TimeSpan.Zero);
        Assert.Equal(SipMethod.Options, (await answering).Method);
    }

    [Fact]
    public async Task ProbeAsync_SilentServer_ReportsNoAnswerAfterTheTimeout()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        var result = await prober.ProbeAsync((IPEndPoint)silent.LocalEndPoint!, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.False(result.Answered);
        Assert.True(result.RoundTrip >= TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_ReportsNoAnswer()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var prober = OptionsProber.Bind(IPAddress.Loopback, NullLogger<OptionsProber>.Instance, TimeProvider.System);

        var result = await prober.ProbeAsync(new IPEndPoint(IPAddress.Loopback, closedPort), TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.False(result.Answered);
    }

    [Theory]
    [InlineData(null, "OrleansProxy")]
    [InlineData("Acme-SBC/2.1", "Acme-SBC/2.1")]
    [InlineData("", null)]
    public async Task ProbeAsync_UserAgent_IsTheConfiguredProductOrLeftOut_Rfc3261Section20_41(string? product, string? userAgent)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var named = product is null ? null : ProductName.Create(product);
        await using var prober = OptionsProber.Bind(IPAddress.Loopback, new StreamTransportOptions(), null, NullLogger<OptionsProber>.Instance, TimeProvider.System, product: named);
        var answering = AnswerOnceAsync(server, 200);

        var result = await prober.ProbeAsync((IPEndPoint)server.LocalEndPoint!, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(result.Answered);
        Assert.Equal(userAgent, (await answering).Header("User-Agent"));
    }

    private static async Task<SipMessage> AnswerOnceAsync(Socket server, int status)
    {
        var buffer = new byte[4096];
        var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(TimeSpan.FromSeconds(10));
        var request = new SipMessage();
        Assert.True(SipParser.TryParse(buffer.AsMemory(0, received.ReceivedBytes), request, SipParseLimits.Default));
        using var response = ResponseFactory.Create(request, ProductName.None, status, "Not Found");
        await server.SendToAsync(response.Memory, received.RemoteEndPoint);
        return request;
    }
}
