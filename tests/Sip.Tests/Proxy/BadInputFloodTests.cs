using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>A flood of junk is answered and counted message by message, but logged a line per source and fault.</summary>
public sealed class BadInputFloodTests : IDisposable
{
    private const int Flood = 2000;
    private static readonly IPEndPoint Flooder = new(IPAddress.Parse("127.0.0.9"), 6000);
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);

    private readonly FakeResolver resolver = new();
    private readonly RecordingTransport transport = new();
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;
    private readonly FakeLogger<StatelessProxy> logger = new();
    private readonly StatelessProxy proxy;

    public BadInputFloodTests()
    {
        recorded = new MetricsRecorder(metrics);
        proxy = new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions(), metrics, logger);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task MalformedFloodFromOneSource_EveryRequestAnsweredAndCounted_OneLogLine()
    {
        var malformed = SipText.Wire(SipText.Invite.Replace("Max-Forwards: 70", "Max-Forwards: lots", StringComparison.Ordinal));
        for (var i = 0; i < Flood; i++)
        {
            await proxy.HandleAsync(malformed, Flooder, transport, CancellationToken.None);
        }

        Assert.Equal(Flood, transport.Sent.Count(sent => sent.Text.StartsWith("SIP/2.0 400 ", StringComparison.Ordinal)));
        Assert.Equal(Flood, recorded.Total("orleansproxy.sip.parse.errors"));
        var line = Assert.Single(LinesAnOperatorSees());
        Assert.Contains("127.0.0.9", line.Message, StringComparison.Ordinal);
        Assert.Contains("MaxForwardsNotNumber", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedFloodFromOneSource_AnotherSourcesFaultIsStillLogged_AndTheCallStillGoesThrough()
    {
        var malformed = SipText.Wire(SipText.Invite.Replace("Max-Forwards: 70", "Max-Forwards: lots", StringComparison.Ordinal));
        for (var i = 0; i < Flood; i++)
        {
            await proxy.HandleAsync(malformed, Flooder, transport, CancellationToken.None);
        }

        await proxy.HandleAsync(malformed, Caller, transport, CancellationToken.None);
        await proxy.HandleAsync(SipText.Wire(SipText.Invite), Caller, transport, CancellationToken.None);

        var lines = LinesAnOperatorSees();
        Assert.Equal(2, lines.Count);
        Assert.Contains("127.0.0.1", lines[1].Message, StringComparison.Ordinal);
        Assert.Single(resolver.Requests);
    }

    // The default level is Information; Debug lines are for a developer who turned them on.
    private List<FakeLogRecord> LinesAnOperatorSees() => [.. logger.Collector.GetSnapshot().Where(record => record.Level >= LogLevel.Information)];
}
