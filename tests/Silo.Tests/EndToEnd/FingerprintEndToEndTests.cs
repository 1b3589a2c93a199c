using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansProxy.Silo.Tests.Sipp;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// Proxy:ServerHeader on a whole node: what a scanner reads in the answer to its OPTIONS (Server) and what a pair
/// member reads in a probe (User-Agent).
/// </summary>
public sealed class FingerprintEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(null, "OrleansProxy")]
    [InlineData("Edge/1.0", "Edge/1.0")]
    [InlineData("", null)]
    public async Task ServerHeader_NamesTheNodeInItsOwnAnswersAndItsProbes_OrNowhereWhenEmpty(string? configured, string? named)
    {
        using var primary = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var backup = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        string[] overrides = configured is null ? [] : [$"--Proxy:ServerHeader={configured}"];
        await using var node = await ProxyNode.StartAsync((IPEndPoint)primary.Client.LocalEndPoint!, (IPEndPoint)backup.Client.LocalEndPoint!, overrides);

        var probe = Encoding.ASCII.GetString((await primary.ReceiveAsync().WaitAsync(Patience)).Buffer);
        using var scanner = new SipOptionsClient();
        var answer = await scanner.ProbeAsync(node.Sip, Patience, CancellationToken.None);

        Assert.StartsWith("OPTIONS ", probe, StringComparison.Ordinal);
        Assert.Equal(named, SipOptionsClient.HeaderValue(probe, "User-Agent", "User-Agent"));
        Assert.NotNull(answer);
        Assert.Equal(named, SipOptionsClient.HeaderValue(answer, "Server", "Server"));
    }
}
