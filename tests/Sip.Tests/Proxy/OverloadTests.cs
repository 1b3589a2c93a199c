using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Tests.Transactions;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>RFC 6357 §3: the stateful core refuses the excess at its entry, before any transaction exists.</summary>
public sealed class OverloadTests : IDisposable
{
    private static readonly IPEndPoint Flooder = new(IPAddress.Parse("127.0.0.9"), 6000);

    private readonly FakeTimeProvider time = new();
    private readonly TestTransport transport = new();
    private readonly FailoverResolver resolver = new();
    private readonly SipMetrics metrics = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task Rfc6357_InvitesPastTheCap_Answered503WithRetryAfter_NoTransactionMade()
    {
        var proxy = New(new OverloadLimits { InvitesPerSecond = 2, RetryAfterSeconds = 1 });
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall1"));
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall2"));
        transport.Take();
        var held = proxy.Table.ServerCount;

        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall3"));

        var (answer, destination) = Assert.Single(transport.Take());
        Assert.Equal(Messages.Caller, destination);
        Assert.StartsWith("SIP/2.0 503 Service Unavailable (overload: 2 INVITEs per second)\n", answer, StringComparison.Ordinal);
        Assert.Contains("\nRetry-After: 1\n", answer, StringComparison.Ordinal);
        Assert.Equal(held, proxy.Table.ServerCount);
        Assert.Equal(2, resolver.Requests.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rfc3261_AckOfTheRefusal_EndsAtTheProxy_AndIsCounted(bool stateful)
    {
        using var recorded = new MetricsRecorder(metrics);
        var limits = new OverloadLimits { InvitesPerSecond = 1 };
        var send = stateful ? StatefulSender(limits) : StatelessSender(limits);
        await send(Messages.Request("INVITE", branch: "z9hG4bKcall1"));
        await send(Messages.Request("INVITE", branch: "z9hG4bKcall2"));
        var refusal = transport.Take().Single(s => s.Text.StartsWith("SIP/2.0 503", StringComparison.Ordinal)).Text;
        var ourTag = refusal.Split('\n').Single(line => line.StartsWith("To: ", StringComparison.Ordinal)).Split(";tag=")[1];

        await send(Messages.Request("ACK", branch: "z9hG4bKcall2", toTag: ourTag));

        Assert.Empty(transport.Take());
        Assert.Equal(1, recorded.Sum("orleansproxy.sip.messages.dropped", "reason", "ack_of_local_answer"));
    }

    [Fact]
    public async Task Rfc6357_CapReached_InDialogByeAckAndCancel_StillGoThrough()
    {
        var proxy = New(new OverloadLimits { InvitesPerSecond = 1 });
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall1"));
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall2"));
        transport.Take();

        await FromAsync(proxy, Messages.Caller, Messages.Request("CANCEL", branch: "z9hG4bKcall1"));
        await FromAsync(proxy, Messages.Caller, Messages.Request("ACK", branch: "z9hG4bKack", cseq: 1, toTag: "srv1"));
        await FromAsync(proxy, Messages.Caller, Messages.Request("BYE", branch: "z9hG4bKbye", cseq: 2, toTag: "srv1"));
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKreinvite", cseq: 3, toTag: "srv1"));

        var sent = transport.Take();
        Assert.DoesNotContain(sent, s => s.Text.StartsWith("SIP/2.0 503", StringComparison.Ordinal));
        Assert.Contains(sent, s => s.Text.StartsWith("SIP/2.0 200 OK", StringComparison.Ordinal) && s.Text.Contains(" CANCEL\n", StringComparison.Ordinal));
        Assert.Contains(sent, s => s.Text.StartsWith("ACK ", StringComparison.Ordinal) && s.Destination.Equals(Messages.Primary));
        Assert.Contains(sent, s => s.Text.StartsWith("BYE ", StringComparison.Ordinal) && s.Destination.Equals(Messages.Primary));
        Assert.Contains(sent, s => s.Text.StartsWith("INVITE ", StringComparison.Ordinal) && s.Destination.Equals(Messages.Primary));
    }

    [Fact]
    public async Task Rfc6357_CapReached_TheBucketRefills_AndTheNextInviteGoesThrough()
    {
        var proxy = New(new OverloadLimits { InvitesPerSecond = 1 });
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall1"));
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall2"));
        transport.Take();

        time.Advance(TimeSpan.FromSeconds(1));
        transport.Take();
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: "z9hG4bKcall3"));

        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        Assert.Equal(2, resolver.Requests.Count);
    }

    [Fact]
    public async Task FloodingSource_DroppedUnansweredAndCounted_WhileAnotherSourcesCallGoesThrough()
    {
        using var recorded = new MetricsRecorder(metrics);
        var proxy = New(new OverloadLimits { PerSourceMessagesPerSecond = 50 });
        for (var i = 0; i < 1000; i++)
        {
            await FromAsync(proxy, Flooder, Messages.Request("OPTIONS", branch: $"z9hG4bKscan{i}").Replace("127.0.0.1:6000", "127.0.0.9:6000", StringComparison.Ordinal));
        }

        // The proxy answers an OPTIONS addressed to itself: the flooder had answers to the first 50, then silence.
        var answersToFlooder = transport.Take().Count(s => s.Destination.Address.Equals(Flooder.Address));
        await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE"));

        Assert.Equal(50, answersToFlooder);
        Assert.Equal(950, recorded.Sum("orleansproxy.sip.overload.dropped", "reason", "source_rate"));
        Assert.Equal(["SIP/2.0 100 Trying -> 6000", "INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
    }

    [Fact]
    public async Task TrustedSource_OverTheRate_NeverLimited()
    {
        var proxy = New(new OverloadLimits { PerSourceMessagesPerSecond = 5 }, isTrusted: source => source.Equals(Messages.Caller));
        for (var i = 0; i < 100; i++)
        {
            await FromAsync(proxy, Messages.Caller, Messages.Request("INVITE", branch: $"z9hG4bKcall{i}"));
        }

        Assert.Equal(100, resolver.Requests.Count);
    }

    [Fact]
    public async Task Rfc6357_StatelessCore_InvitePastTheCap_Answered503_AndAFloodingSourceDropped()
    {
        var overload = new OverloadControl(new OverloadLimits { InvitesPerSecond = 1, PerSourceMessagesPerSecond = 3 }, metrics, NullLogger<OverloadControl>.Instance, time);
        var proxy = new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance, time, overload);
        for (var i = 0; i < 5; i++)
        {
            await proxy.HandleAsync(SipText.Wire(Messages.Request("INVITE", branch: $"z9hG4bKcall{i}")), Messages.Caller, transport, CancellationToken.None);
        }

        Assert.Equal(["INVITE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070", "SIP/2.0 503 Service Unavailable (overload: 1 INVITEs per second) -> 6000", "SIP/2.0 503 Service Unavailable (overload: 1 INVITEs per second) -> 6000"], transport.TakeLines());
    }

    private Func<string, Task> StatefulSender(OverloadLimits limits)
    {
        var proxy = New(limits);
        return text => FromAsync(proxy, Messages.Caller, text);
    }

    private Func<string, Task> StatelessSender(OverloadLimits limits)
    {
        var overload = new OverloadControl(limits, metrics, NullLogger<OverloadControl>.Instance, time);
        var proxy = new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance, time, overload);
        return async text => await proxy.HandleAsync(SipText.Wire(text), Messages.Caller, transport, CancellationToken.None);
    }

    private StatefulProxy New(OverloadLimits limits, Func<IPEndPoint, bool>? isTrusted = null) =>
        new(Hops.Identity, resolver, new StatefulProxyOptions(), metrics, time, NullLoggerFactory.Instance, new OverloadControl(limits, metrics, NullLogger<OverloadControl>.Instance, time, isTrusted));

    private async Task FromAsync(StatefulProxy proxy, IPEndPoint source, string text) =>
        await proxy.HandleAsync(SipText.Wire(text), source, transport, CancellationToken.None);
}
