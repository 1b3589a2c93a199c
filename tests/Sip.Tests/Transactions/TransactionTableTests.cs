using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Tests.Transactions;

public sealed class TransactionTableTests
{
    private readonly FakeTimeProvider time = new();
    private readonly TestTransport transport = new();

    [Fact]
    public async Task LingeringPastTheByteBound_TheTombstoneNearestItsEndIsEvictedAndCounted_Rfc3261Section17_2_2()
    {
        var response = SipText.Wire(Messages.Response(Messages.Request("BYE"), 200, "OK"));
        using var metrics = new SipMetrics();
        using var recorded = new MetricsRecorder(metrics);
        var table = new TransactionTable(10, time, maxLingerBytes: 2 * (LingeringTransaction.OverheadBytes + response.Length), metrics);
        var first = await FinishAsync(table, 1, response);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await FinishAsync(table, 2, response);
        Assert.Equal((2, 0L), (table.LingeringCount, table.LingeringEvicted));

        var third = await FinishAsync(table, 3, response);

        Assert.False(table.TryGet(first.Key, out _));
        Assert.True(table.TryGet(second.Key, out _));
        Assert.True(table.TryGet(third.Key, out var lingering));
        Assert.Equal((2, 1L), (table.LingeringCount, table.LingeringEvicted));
        Assert.Equal(1, recorded.Total("orleansproxy.sip.transactions.lingering.evicted"));
        Assert.Equal(2 * (LingeringTransaction.OverheadBytes + response.Length), table.LingeringBytes);
        transport.Take();
        await lingering!.OnRetransmissionAsync(CancellationToken.None);
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
    }

    [Fact]
    public async Task TerminateAll_EndsLingeringTransactionsToo()
    {
        var response = SipText.Wire(Messages.Response(Messages.Request("BYE"), 200, "OK"));
        var table = new TransactionTable(10, time);
        var finished = await FinishAsync(table, 1, response);

        table.TerminateAll();

        Assert.False(table.TryGet(finished.Key, out _));
        Assert.Equal((0, 0L), (table.LingeringCount, table.LingeringBytes));
    }

    private async Task<ServerTransaction> FinishAsync(TransactionTable table, int key, byte[] response)
    {
        var server = new ServerTransaction(new TransactionKey((UInt128)key), false, Messages.Caller, transport, table, TransactionTimers.Default);
        Assert.Equal(TableInsert.Added, table.TryAdd(server, out _));
        Assert.True(await server.SendResponseAsync(response, 200, CancellationToken.None));
        Assert.Equal(0, table.ServerCount);
        return server;
    }
}
