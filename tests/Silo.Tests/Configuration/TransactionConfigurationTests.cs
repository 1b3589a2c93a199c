using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>"Proxy:Mode", "Proxy:Failover" and "Proxy:Transactions".</summary>
public sealed class TransactionConfigurationTests
{
    [Fact]
    public void Validate_Baseline_StatefulWithDocumentedDefaults()
    {
        var settings = TestConfiguration.With().Settings!.Transactions;

        Assert.Equal(ProxyMode.Stateful, settings.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.NoResponse);
        Assert.Equal(100_000, settings.MaxTransactions);
        Assert.Equal(32 << 20, settings.MaxLingerBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Timers.T1);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.Timers.T2);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Timers.T4);
        Assert.Equal(TimeSpan.FromSeconds(181), settings.Timers.TimerC);
    }

    [Fact]
    public void Validate_EveryKeySet_ParsesThem()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Mode", "Stateless"),
            ("Proxy:Failover:NoResponseMs", "800"),
            ("Proxy:Transactions:MaxCount", "5000"),
            ("Proxy:Transactions:MaxLingerBytes", "2000000"),
            ("Proxy:Transactions:T1Ms", "250"),
            ("Proxy:Transactions:T2Ms", "2000"),
            ("Proxy:Transactions:T4Ms", "3000"),
            ("Proxy:Transactions:TimerCMs", "200000"));

        Assert.Empty(configuration.Faults);
        var settings = configuration.Settings!.Transactions;
        Assert.Equal(ProxyMode.Stateless, settings.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(800), settings.NoResponse);
        Assert.Equal(5000, settings.MaxTransactions);
        Assert.Equal(2_000_000, settings.MaxLingerBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Timers.T1);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Timers.T2);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Timers.T4);
        Assert.Equal(TimeSpan.FromSeconds(200), settings.Timers.TimerC);
    }

    [Fact]
    public void Validate_UnknownMode_NamesTheKey()
    {
        var configuration = TestConfiguration.With(("Proxy:Mode", "transactional"));

        Assert.Equal(["Proxy:Mode: 'transactional' is not a mode (stateful or stateless)"], configuration.Lines());
        Assert.Null(configuration.Settings);
    }

    [Theory]
    [InlineData("Proxy:Failover:NoResponseMs", "0")]
    [InlineData("Proxy:Transactions:MaxCount", "0")]
    [InlineData("Proxy:Transactions:MaxLingerBytes", "1000")]
    [InlineData("Proxy:Transactions:T1Ms", "-5")]
    [InlineData("Proxy:Transactions:T2Ms", "3600001")]
    [InlineData("Proxy:Transactions:T4Ms", "0")]
    [InlineData("Proxy:Transactions:TimerCMs", "180000")]
    public void Validate_OutOfRange_OneFaultNamingTheKey(string key, string value)
    {
        var configuration = TestConfiguration.With((key, value));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal(key, fault.Key);
        Assert.Contains("is out of range", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_T2BelowT1_FaultOnT2()
    {
        var configuration = TestConfiguration.With(("Proxy:Transactions:T1Ms", "1000"), ("Proxy:Transactions:T2Ms", "500"));

        Assert.Equal(["Proxy:Transactions:T2Ms: must not be less than Proxy:Transactions:T1Ms (500 < 1000)"], configuration.Lines());
    }

    [Fact]
    public void Validate_NoResponseNotBelowTransactionTimeout_FaultOnNoResponse()
    {
        var configuration = TestConfiguration.With(("Proxy:Failover:NoResponseMs", "32000"));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal("Proxy:Failover:NoResponseMs", fault.Key);
        Assert.StartsWith("must be less than 64 x Proxy:Transactions:T1Ms (32000)", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Proxy:Failover:NoAnswerMs")]
    [InlineData("Proxy:Transactions:TimerBMs")]
    public void Read_UnknownKey_NamesIt(string key)
    {
        var configuration = TestConfiguration.With((key, "1"));

        var fault = Assert.Single(configuration.Faults);
        Assert.Equal(key, fault.Key);
        Assert.StartsWith("unknown key", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotANumber_NamesTheKey()
    {
        var configuration = TestConfiguration.With(("Proxy:Failover:NoResponseMs", "half a second"));

        Assert.Equal(["Proxy:Failover:NoResponseMs: 'half a second' is not a whole number"], configuration.Lines());
    }
}
