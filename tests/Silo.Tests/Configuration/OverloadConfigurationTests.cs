using System.Net;
using OrleansProxy.Silo.Reload;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Overload;

namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>"Proxy:Overload": read, checked key by key, and changed live by a reload.</summary>
public sealed class OverloadConfigurationTests
{
    [Fact]
    public void Validate_NoOverloadKeys_CapAndSourceLimitOff_QueueDelayLimitAt50Ms()
    {
        var limits = TestConfiguration.With().Settings!.Overload;

        Assert.Equal(TimeSpan.FromMilliseconds(50), limits.MaxQueueDelay);
        Assert.Equal((0, 0, 1, TimeSpan.FromSeconds(10), 65_536), (limits.InvitesPerSecond, limits.PerSourceMessagesPerSecond, limits.RetryAfterSeconds, limits.SourceBlockTime, limits.TrackedSources));
        Assert.Empty(limits.ExemptNetworks);
    }

    [Fact]
    public void Validate_OverloadKeys_ParsesThem()
    {
        var limits = TestConfiguration.With(
            ("Proxy:Overload:InvitesPerSecond", "200"),
            ("Proxy:Overload:MaxQueueDelayMs", "0"),
            ("Proxy:Overload:RetryAfterSeconds", "4"),
            ("Proxy:Overload:PerSourceMessagesPerSecond", "3000"),
            ("Proxy:Overload:SourceBlockSeconds", "30"),
            ("Proxy:Overload:TrackedSources", "1000"),
            ("Proxy:Overload:ExemptNetworks:0", "10.20.0.0/16")).Settings!.Overload;

        Assert.Equal((200, 4, 3000, TimeSpan.FromSeconds(30), 1000), (limits.InvitesPerSecond, limits.RetryAfterSeconds, limits.PerSourceMessagesPerSecond, limits.SourceBlockTime, limits.TrackedSources));
        Assert.Equal(IPNetwork.Parse("10.20.0.0/16"), Assert.Single(limits.ExemptNetworks));
        Assert.Equal(TimeSpan.Zero, limits.MaxQueueDelay);
    }

    [Theory]
    [InlineData("Proxy:Overload:InvitesPerSecond", "-1")]
    [InlineData("Proxy:Overload:InvitesPerSecond", "1000001")]
    [InlineData("Proxy:Overload:RetryAfterSeconds", "0")]
    [InlineData("Proxy:Overload:MaxQueueDelayMs", "-1")]
    [InlineData("Proxy:Overload:MaxQueueDelayMs", "60001")]
    [InlineData("Proxy:Overload:PerSourceMessagesPerSecond", "-5")]
    [InlineData("Proxy:Overload:SourceBlockSeconds", "0")]
    [InlineData("Proxy:Overload:TrackedSources", "0")]
    public void Validate_OverloadNumberOutOfRange_OneFaultNamingTheKey(string key, string value)
    {
        var fault = Assert.Single(TestConfiguration.With((key, value)).Faults);

        Assert.Equal(key, fault.Key);
        Assert.Contains("out of range", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Proxy:Overload:InvitesPerSecond", "many", "Proxy:Overload:InvitesPerSecond")]
    [InlineData("Proxy:Overload:ExemptNetworks:0", "10.20.0.1/16", "Proxy:Overload:ExemptNetworks:0")]
    [InlineData("Proxy:Overload:InvitesPerMinute", "5", "Proxy:Overload:InvitesPerMinute")]
    public void Validate_BadOverloadKey_OneFaultNamingTheKey(string key, string value, string named)
    {
        var fault = Assert.Single(TestConfiguration.With((key, value)).Faults);

        Assert.Equal(named, fault.Key);
    }

    [Fact]
    public void Changed_OverloadLimits_NotARestart_TheReloadAppliesThem()
    {
        var next = TestConfiguration.With(("Proxy:Overload:InvitesPerSecond", "50"), ("Proxy:Overload:PerSourceMessagesPerSecond", "500"));

        Assert.Empty(RestartOnlyKeys.Changed(TestConfiguration.With(), next));
        Assert.Equal(new OverloadLimits { InvitesPerSecond = 50, PerSourceMessagesPerSecond = 500 }, next.Settings!.Overload with { ExemptNetworks = [] });
    }
}
