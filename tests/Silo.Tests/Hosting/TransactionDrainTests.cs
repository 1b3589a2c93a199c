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

        Assert.True(drain.TryBeginTransaction(inDialog: false));
        Assert.Equal(1, drain.InFlight);
        drain.EndTransaction();
        Assert.Equal(0, drain.InFlight);
    }

    [Fact]
    public async Task StoppingAsync_NothingInFlight_ReturnsAndRefusesRequestsOutsideADialog()
    {
        var drain = Create(TimeSpan.FromSeconds(30));

        await drain.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(drain.IsDraining);
        Assert.False(drain.TryBeginTransaction(inDialog: false));
        Assert.Equal(0, drain.InFlight);
    }

    [Fact]
    public async Task Draining_InDialogRequest_StillLetInAndCounted()
    {
        var drain = Create(TimeSpan.FromSeconds(30));
        await drain.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(drain.TryBeginTransaction(inDialog: true));

        Assert.Equal(1, drain.InFlight);
    }

    [Fact]
    public async Task StoppingAsync_TransactionInFlight_WaitsUntilItEnds()
    {
        var drain = Create(TimeSpan.FromSeconds(60));
        Assert.True(drain.TryBeginTransaction(inDialog: false));

        var stopping = drain.StoppingAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        Assert.False(drain.TryBeginTransaction(inDialog: false));

        drain.EndTransaction();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StoppingAsync_ForwardedRequestUnanswered_WaitsForItsAnswer()
    {
        var drain = Create(TimeSpan.FromSeconds(60));
        var unanswered = 1;
        drain.WaitForAnswers(() => Volatile.Read(ref unanswered));

        var stopping = drain.StoppingAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);

        Volatile.Write(ref unanswered, 0);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StoppingAsync_TransactionNeverEnds_ReturnsAfterDrainTime()
    {
        var drain = Create(TimeSpan.FromMilliseconds(300));
        Assert.True(drain.TryBeginTransaction(inDialog: false));
        drain.WaitForAnswers(() => 1);

        await drain.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, drain.InFlight);
    }

    private static TransactionDrain Create(TimeSpan drainTime)
    {
        var settings = TestConfiguration.With().Settings! with { DrainTime = drainTime };
        return new TransactionDrain(settings, TimeProvider.System, NullLogger<TransactionDrain>.Instance);
    }
}
