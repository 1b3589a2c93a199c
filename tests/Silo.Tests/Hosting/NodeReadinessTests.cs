using Orleans.Runtime;
using OrleansProxy.Silo.Admin;
using OrleansProxy.Silo.FrontEnd;

namespace OrleansProxy.Silo.Tests.Hosting;

public sealed class NodeReadinessTests
{
    [Theory]
    [InlineData(WarmUpProgress.Pending, false)]
    [InlineData(WarmUpProgress.Running, false)]
    [InlineData(WarmUpProgress.Done, true)]
    [InlineData(WarmUpProgress.Off, true)]
    public void Decide_StartedAndSiloActive_ReadyOnlyOnceTheWarmUpIsOver(string warmUp, bool ready)
    {
        var report = NodeReadiness.Decide(started: true, SiloStatus.Active, warmUp, draining: false);

        Assert.Equal(ready, report.Ready);
        Assert.Equal(warmUp, report.WarmUp);
    }

    [Fact]
    public void Decide_WarmedUpButDraining_NotReady()
    {
        var report = NodeReadiness.Decide(started: true, SiloStatus.Active, WarmUpProgress.Done, draining: true);

        Assert.False(report.Ready);
    }
}
