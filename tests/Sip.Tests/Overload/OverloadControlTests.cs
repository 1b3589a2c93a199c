using System.Net;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Overload;

/// <summary>The limits themselves (RFC 6357 §3, RFC 7339 ideas), on a clock the test moves.</summary>
public sealed class OverloadControlTests : IDisposable
{
    private static readonly IPEndPoint Flooder = new(IPAddress.Parse("127.0.0.9"), 6000);
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);

    private readonly FakeTimeProvider time = new();
    private readonly SipMetrics metrics = new();
    private readonly MetricsRecorder recorded;
    private readonly FakeLogger<OverloadControl> logger = new();

    public OverloadControlTests()
    {
        recorded = new MetricsRecorder(metrics);
    }

    public void Dispose()
    {
        recorded.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public void InviteCap_OneSecondsWorthAdmitted_TheNextRefusedWithTheCapInTheReasonAndRetryAfter()
    {
        var control = New(new OverloadLimits { InvitesPerSecond = 10, RetryAfterSeconds = 2 });

        Assert.Equal(10, AdmittedInvites(control, 20));

        Assert.False(control.AdmitsNewInvite(out var reason, out var retryAfter));
        Assert.Equal("Service Unavailable (overload: 10 INVITEs per second)", reason);
        Assert.Equal("Retry-After: 2\r\n", System.Text.Encoding.ASCII.GetString(retryAfter.Span));
        Assert.Equal(11, recorded.Sum("orleansproxy.sip.overload.dropped", "reason", "invite_rate"));
    }

    [Fact]
    public void InviteCap_RefillsWithTime_WithoutATimer()
    {
        var control = New(new OverloadLimits { InvitesPerSecond = 10 });
        AdmittedInvites(control, 10);

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(5, AdmittedInvites(control, 10));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(10, AdmittedInvites(control, 20));
    }

    [Fact]
    public void InviteCap_Off_EveryInviteAdmitted()
    {
        var control = New(OverloadLimits.Off);

        Assert.Equal(10_000, AdmittedInvites(control, 10_000));
    }

    [Fact]
    public void InviteCap_RaisedByReconfigure_TakesEffectAtOnce()
    {
        var control = New(new OverloadLimits { InvitesPerSecond = 1 });
        AdmittedInvites(control, 5);

        control.Reconfigure(new OverloadLimits());

        Assert.Equal(100, AdmittedInvites(control, 100));
    }

    [Fact]
    public void QueueDelay_OverTheLimit_NewInvitesRefusedWithTheLimitInTheReasonAndRetryAfter_OneLogLine()
    {
        var queueDelay = new ReceiveQueueDelay();
        var control = New(new OverloadLimits { MaxQueueDelay = TimeSpan.FromMilliseconds(100), RetryAfterSeconds = 3 }, queueDelay: queueDelay);
        queueDelay.Record(TimeSpan.FromMilliseconds(250));

        Assert.Equal(0, AdmittedInvites(control, 50));
        Assert.False(control.AdmitsNewInvite(out var reason, out var retryAfter));
        Assert.Equal("Service Unavailable (overload: receive queue over 100 ms)", reason);
        Assert.Equal("Retry-After: 3\r\n", System.Text.Encoding.ASCII.GetString(retryAfter.Span));
        Assert.Equal(51, recorded.Sum("orleansproxy.sip.overload.dropped", "reason", "queue_delay"));
        Assert.Single(logger.Collector.GetSnapshot(), line => line.Id.Id == SipLogEvents.QueueDelayReached);
    }

    [Fact]
    public void QueueDelay_DrainedBelowTheLimit_NewInvitesAdmittedAgain()
    {
        var queueDelay = new ReceiveQueueDelay();
        var control = New(new OverloadLimits { MaxQueueDelay = TimeSpan.FromMilliseconds(100) }, queueDelay: queueDelay);
        queueDelay.Record(TimeSpan.FromMilliseconds(101));
        Assert.Equal(0, AdmittedInvites(control, 5));

        queueDelay.Record(TimeSpan.FromMilliseconds(100));

        Assert.Equal(5, AdmittedInvites(control, 5));
    }

    [Fact]
    public void QueueDelay_LimitOff_EveryInviteAdmittedHoweverLongTheQueue()
    {
        var queueDelay = new ReceiveQueueDelay();
        var control = New(new OverloadLimits { MaxQueueDelay = TimeSpan.Zero }, queueDelay: queueDelay);
        queueDelay.Record(TimeSpan.FromSeconds(30));

        Assert.Equal(20, AdmittedInvites(control, 20));
    }

    [Fact]
    public void QueueDelay_StandingQueue_RefusesBeforeTheCapSpendsATokenOnIt()
    {
        var queueDelay = new ReceiveQueueDelay();
        var control = New(new OverloadLimits { InvitesPerSecond = 10, MaxQueueDelay = TimeSpan.FromMilliseconds(100) }, queueDelay: queueDelay);
        queueDelay.Record(TimeSpan.FromSeconds(1));
        AdmittedInvites(control, 30);

        queueDelay.Record(TimeSpan.Zero);

        Assert.Equal(10, AdmittedInvites(control, 30));
    }

    [Fact]
    public void SourceRate_FloodingSourceBlockedAndCounted_AnotherSourceStillAdmitted_OneLogLine()
    {
        var control = New(new OverloadLimits { PerSourceMessagesPerSecond = 100, SourceBlockTime = TimeSpan.FromSeconds(10) });

        Assert.Equal(100, Admitted(control, Flooder, 5000));

        Assert.True(control.AdmitsMessageFrom(Caller));
        Assert.Equal(4900, recorded.Sum("orleansproxy.sip.overload.dropped", "reason", "source_rate"));
        var line = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Contains("127.0.0.9", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceRate_BlockedSource_StaysBlockedForTheBlockTime_ThenStartsAfresh()
    {
        var control = New(new OverloadLimits { PerSourceMessagesPerSecond = 100, SourceBlockTime = TimeSpan.FromSeconds(10) });
        Admitted(control, Flooder, 101);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(control.AdmitsMessageFrom(Flooder));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(100, Admitted(control, Flooder, 200));
    }

    [Fact]
    public void SourceRate_ExemptNetworkAndTrustedSource_NeverLimited()
    {
        var server = new IPEndPoint(IPAddress.Parse("127.0.0.20"), 5060);
        var control = New(
            new OverloadLimits { PerSourceMessagesPerSecond = 10, ExemptNetworks = [IPNetwork.Parse("127.0.0.9/32")] },
            isTrusted: source => source.Address.Equals(server.Address));

        Assert.Equal(5000, Admitted(control, Flooder, 5000));
        Assert.Equal(5000, Admitted(control, server, 5000));
        Assert.Equal(0, recorded.Total("orleansproxy.sip.overload.dropped"));
    }

    [Fact]
    public void SourceRate_Ipv4MappedSource_IsTheSameSource()
    {
        var control = New(new OverloadLimits { PerSourceMessagesPerSecond = 10 });
        Admitted(control, Flooder, 10);

        Assert.False(control.AdmitsMessageFrom(new IPEndPoint(Flooder.Address.MapToIPv6(), Flooder.Port)));
    }

    [Fact]
    public void SourceTable_ManySources_StaysWithinItsBound_AndForgetsIdleSources()
    {
        var control = New(new OverloadLimits { PerSourceMessagesPerSecond = 10, TrackedSources = 100 });
        for (var i = 0; i < 1000; i++)
        {
            control.AdmitsMessageFrom(new IPEndPoint(new IPAddress(0x0A000000 + i), 5060));
        }

        Assert.Equal(100, control.TrackedSourceCount);

        // Once they are idle, new sources take their places and are limited again.
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(10, Admitted(control, Flooder, 50));
        Assert.True(control.TrackedSourceCount <= 100);
    }

    private static int AdmittedInvites(OverloadControl control, int offered)
    {
        var admitted = 0;
        for (var i = 0; i < offered; i++)
        {
            admitted += control.AdmitsNewInvite(out _, out _) ? 1 : 0;
        }

        return admitted;
    }

    private static int Admitted(OverloadControl control, IPEndPoint source, int offered)
    {
        var admitted = 0;
        for (var i = 0; i < offered; i++)
        {
            admitted += control.AdmitsMessageFrom(source) ? 1 : 0;
        }

        return admitted;
    }

    private OverloadControl New(OverloadLimits limits, Func<IPEndPoint, bool>? isTrusted = null, ReceiveQueueDelay? queueDelay = null) =>
        new(limits, metrics, logger, time, isTrusted, queueDelay);
}
