using Microsoft.Extensions.Configuration;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Tests.Configuration;

public sealed class ShippedAppSettingsTests
{
    // The project reference copies src/Silo/appsettings.json next to the test assembly.
    private static readonly string ShippedFile = Path.Combine(AppContext.BaseDirectory, ConfigurationLoader.AppSettingsFileName);

    [Fact]
    public void ShippedFile_ValidatesClean_AsALoopbackNode()
    {
        var configuration = ProxyConfiguration.Create(new ConfigurationBuilder().AddJsonFile(ShippedFile).Build(), []);

        Assert.Empty(configuration.Faults);
        var settings = configuration.Settings!;
        Assert.Equal("udp://127.0.0.1:5060", Assert.Single(settings.Listen).ToString());
        var pair = Assert.Single(settings.Pairs);
        Assert.Equal(("main", "127.0.0.1:5070", "127.0.0.1:5080"), (pair.Name, pair.Primary, pair.Backup));
        Assert.Equal(new Uri("http://127.0.0.1:8060"), settings.AdminUrl);
        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), 2, TimeSpan.FromMilliseconds(25)),
            (settings.Probe.Interval, settings.Probe.Timeout, settings.Probe.FailuresToDown, settings.Probe.FastInterval));
    }

    [Fact]
    public void ShippedFile_HasASerilogConsoleSection()
    {
        var serilog = new ConfigurationBuilder().AddJsonFile(ShippedFile).Build().GetSection("Serilog");

        Assert.Equal("Information", serilog["MinimumLevel:Default"]);
        Assert.Equal("Warning", serilog["MinimumLevel:Override:Orleans"]);
        Assert.Equal("Warning", serilog["MinimumLevel:Override:Microsoft"]);
        Assert.Equal("Warning", serilog["MinimumLevel:Override:Polly"]);
        Assert.Equal("Console", serilog["WriteTo:0:Name"]);
    }
}
