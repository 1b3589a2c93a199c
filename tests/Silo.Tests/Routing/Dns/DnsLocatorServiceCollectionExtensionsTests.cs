using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Routing.Location;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Tests.Routing.Dns;

public sealed class DnsLocatorServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddDnsNextHopLocator_WithTheHostsTimeProvider_LocatorThatGreylistsOnThatClock()
    {
        using var dns = LoopbackDnsServer.Start();
        dns.AddA("sip.example.test", 300, "192.0.2.7");
        var time = new FakeTimeProvider();
        var settings = new DnsLocatorSettings { Servers = [dns.EndPoint], Timeout = TimeSpan.FromSeconds(5) };
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<NodeMetrics>()
            .AddSingleton<TimeProvider>(time)
            .AddDnsNextHopLocator(settings)
            .BuildServiceProvider();
        var locator = services.GetRequiredService<INextHopLocator>();
        var hop = new NextHop("sip.example.test", 5060, null) { PortIsDefault = false };
        var endPoint = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5060);

        locator.ReportFailure(endPoint);
        var whileGreylisted = await locator.LocateAsync(hop, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(settings.GreylistPeriod);
        var afterwards = await locator.LocateAsync(hop, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsType<DnsNextHopLocator>(locator);
        Assert.Null(whileGreylisted);
        Assert.Equal(endPoint, afterwards?.EndPoint);
    }
}
