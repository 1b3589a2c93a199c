using System.Net;
using Microsoft.Extensions.Configuration;
using OrleansProxy.Routing.Location;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Tests.Routing.Dns;

public sealed class DnsLocatorOptionsTests
{
    private const string Section = "Proxy:Routing:Dns";

    [Fact]
    public void Read_NoSection_Defaults()
    {
        var faults = new ConfigurationFaults();

        var settings = Read(faults);

        var defaults = new DnsLocatorSettings();
        Assert.Empty(faults);
        Assert.Empty(settings.Servers);
        Assert.Equal(defaults.Timeout, settings.Timeout);
        Assert.Equal(defaults.GreylistPeriod, settings.GreylistPeriod);
    }

    [Fact]
    public void Read_ValidKeys_Settings()
    {
        var faults = new ConfigurationFaults();

        var settings = Read(
            faults,
            ($"{Section}:Servers:0", "10.0.0.53"),
            ($"{Section}:Servers:1", "[2001:db8::53]:5353"),
            ($"{Section}:TimeoutMs", "750"),
            ($"{Section}:GreylistSeconds", "0"));

        Assert.Empty(faults);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.53"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 5353)], settings.Servers);
        Assert.Equal(TimeSpan.FromMilliseconds(750), settings.Timeout);
        Assert.Equal(TimeSpan.Zero, settings.GreylistPeriod);
    }

    [Theory]
    [InlineData("Servers:0", "resolver.example.test", "a host name")]
    [InlineData("Servers:0", "10.0.0.53:99999", "is not ip[:port]")]
    [InlineData("Servers:0", "2001:db8::53", "needs brackets")]
    [InlineData("Servers", "10.0.0.53", "must be a list")]
    [InlineData("TimeoutMs", "0", "'0' is not a whole number from 1 to 60000")]
    [InlineData("TimeoutMs", "fast", "'fast' is not a whole number")]
    [InlineData("GreylistSeconds", "-1", "'-1' is not a whole number from 0 to 3600")]
    [InlineData("Retries", "3", "unknown key")]
    public void Read_BadValue_OneFaultNamingTheKey(string key, string value, string message)
    {
        var faults = new ConfigurationFaults();

        Read(faults, ($"{Section}:{key}", value));

        var fault = Assert.Single(faults);
        Assert.Equal($"{Section}:{key}", fault.Key);
        Assert.Contains(message, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralBadKeys_EveryOneNamed()
    {
        var faults = new ConfigurationFaults();

        Read(
            faults,
            ($"{Section}:Servers:0", "10.0.0.53"),
            ($"{Section}:Servers:1", "nowhere"),
            ($"{Section}:TimeoutMs", "-5"),
            ($"{Section}:GreylistSeconds", "forever"));

        Assert.Equal(
            [$"{Section}:Servers:1", $"{Section}:TimeoutMs", $"{Section}:GreylistSeconds"],
            faults.Select(fault => fault.Key));
    }

    private static DnsLocatorSettings Read(ConfigurationFaults faults, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(value => KeyValuePair.Create(value.Key, (string?)value.Value)))
            .Build();
        return SectionReader.Read(configuration, Section, faults, DnsLocatorOptions.Read);
    }
}
