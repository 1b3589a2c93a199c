using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Hosting;

public sealed class TransactionDrainTests
{
    [Fact]
    public void TryBeginTransaction_NotDraining_CountsItIn()
    {
        var drain = Create(TimeSpan.FromSeconds(1));

        Assert.True(drain.TryBeginTransaction());
        Assert.Equal(1, drain.InFlight);
        drain.EndTransaction();
        Assert.Equal(0, drain.InFlight);
    }

    [Fact]
    public async Task StoppingAsync_NothingInFlight_ReturnsAndRefusesNewTransactions()
    {
        var drain = Create(TimeSpan.FromSeconds(30));

        await drain.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(drain.IsDraining);
        Assert.False(drain.TryBeginTransaction());
        Assert.Equal(0, drain.InFlight);
    }

    [Fact]
    public async Task StoppingAsync_TransactionInFlight_WaitsUntilItEnds()
    {
        var drain = Create(TimeSpan.FromSeconds(60));
        Assert.True(drain.TryBeginTransaction());

        var stopping = drain.StoppingAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        Assert.False(drain.TryBeginTransaction());

        drain.EndTransaction();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StoppingAsync_TransactionNeverEnds_ReturnsAfterDrainTime()
    {
        var drain = Create(TimeSpan.FromMilliseconds(300));
        Assert.True(drain.TryBeginTransaction());

        await drain.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, drain.InFlight);
    }

    private static TransactionDrain Create(TimeSpan drainTime)
    {
        var settings = TestConfiguration.With().Settings! with { DrainTime = drainTime };
        return new TransactionDrain(settings, TimeProvider.System, NullLogger<TransactionDrain>.Instance);
    }
}
