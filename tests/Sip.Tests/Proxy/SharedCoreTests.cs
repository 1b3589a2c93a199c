using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// The stateless and the stateful core validate requests (RFC 3261 §16.3), route responses (§16.7) and word their own
/// answers with the same code, so each case here holds for both; the stateful core adds only its 100 Trying.
/// </summary>
public sealed class SharedCoreTests : IDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly TestTransport transport = new();
    private readonly FakeResolver resolver = new() { Decision = RouteDecision.Forward(Messages.Primary) };
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;

    public SharedCoreTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rfc3261_16_3_Step5_ProxyRequire_Answered420ListingTheOptionAndNotForwarded(bool stateful)
    {
        var handler = Core(stateful);

        await FromCallerAsync(handler, Messages.Request("INVITE").Replace("Max-Forwards: 70\n", "Max-Forwards: 70\nProxy-Require: foo\n", StringComparison.Ordinal));

        var (text, destination) = Assert.Single(transport.Take());
        Assert.StartsWith("SIP/2.0 420 Bad Extension\n", text, StringComparison.Ordinal);
        Assert.Contains("\nUnsupported: foo\n", text, StringComparison.Ordinal);
        Assert.Equal(Messages.Caller, destination);
        Assert.Empty(resolver.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rfc3261_16_3_Step3_NoHopsLeft_Answered483AndNotForwarded(bool stateful)
    {
        var handler = Core(stateful);

        await FromCallerAsync(handler, Messages.Request("INVITE").Replace("Max-Forwards: 70\n", "Max-Forwards: 0\n", StringComparison.Ordinal));

        Assert.Equal(["SIP/2.0 483 Too Many Hops -> 6000"], transport.TakeLines());
        Assert.Empty(resolver.Requests);
    }

    [Theory]
    [InlineData(false, new[] { "SIP/2.0 503 Service Unavailable (maintenance) -> 6000" })]
    [InlineData(true, new[] { "SIP/2.0 100 Trying -> 6000", "SIP/2.0 503 Service Unavailable (maintenance) -> 6000" })]
    public async Task Rfc3261_16_6_RoutingRefusal_AnsweredWithTheRetryAfterItAsksForAndCountedOnce(bool stateful, string[] expected)
    {
        resolver.Decision = RouteDecision.Reject(503, "Service Unavailable (maintenance)", retryAfterSeconds: 42);
        var handler = Core(stateful);

        await FromCallerAsync(handler, Messages.Request("INVITE"));

        var sent = transport.Take();
        Assert.Equal(expected, sent.Select(s => $"{Messages.FirstLine(s.Text)} -> {s.Destination.Port}"));
        Assert.Contains("\nRetry-After: 42\n", sent[^1].Text, StringComparison.Ordinal);
        Assert.Equal(1, recorded.Total("orleansproxy.sip.requests.answered"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rfc3261_16_7_Step3_ResponseWhoseTopViaIsNotOurs_IsDroppedNotForwarded(bool stateful)
    {
        var handler = Core(stateful);

        await handler.HandleAsync(SipText.Wire(Messages.Response(Messages.Request("INVITE"), 200, "OK")), Messages.Primary, transport, CancellationToken.None);

        Assert.Empty(transport.Take());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.messages.dropped", "reason", "response_not_ours"));
    }

    private ISipMessageHandler Core(bool stateful) => stateful
        ? new StatefulProxy(Hops.Identity, resolver, new StatefulProxyOptions(), metrics, time, NullLoggerFactory.Instance)
        : new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance, time);

    private async Task FromCallerAsync(ISipMessageHandler handler, string text) =>
        await handler.HandleAsync(SipText.Wire(text), Messages.Caller, transport, CancellationToken.None);
}
