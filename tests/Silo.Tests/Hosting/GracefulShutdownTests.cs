using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>Stopping a running node: it drains before the silo and the listeners stop.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_TransactionInFlight_NotReadyAndRefusesNewOnesUntilItEnds()
    {
        await using var host = await RunningProxyHost.StartAsync(new FakeMemberProber(), "--Proxy:Shutdown:DrainMs=60000");
        var drain = host.App.Services.GetRequiredService<IDrainState>();
        Assert.True(drain.TryBeginTransaction(inDialog: false));

        var stopping = host.App.StopAsync();
        var readiness = await Eventually.Satisfies(
            async () =>
            {
                using var response = await host.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable,
            "/readyz answering 503 while draining");

        Assert.Contains("\"draining\":true", readiness.Body, StringComparison.Ordinal);
        Assert.False(drain.TryBeginTransaction(inDialog: false));
        Assert.False(stopping.IsCompleted);

        drain.EndTransaction();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
