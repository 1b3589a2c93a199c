using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Tests.Transactions;

public sealed class ServerTransactionTests
{
    private static readonly TransactionTimers Timers = TransactionTimers.Default;

    private readonly FakeTimeProvider time = new();
    private readonly TestTransport transport = new();
    private readonly TransactionTable table;

    public ServerTransactionTests()
    {
        table = new TransactionTable(10, time);
    }

    [Fact]
    public async Task NonInvite_RetransmissionBeforeAnyResponse_IsAbsorbed()
    {
        var server = Add(isInvite: false);

        await server.OnRetransmissionAsync(CancellationToken.None);

        Assert.Empty(transport.Take());
        Assert.Equal(TransactionState.Trying, server.State);
    }

    [Fact]
    public async Task NonInvite_FinalResponse_ResentForRetransmissionsUntilTimerJ()
    {
        var server = Add(isInvite: false);
        await SendAsync(server, 200, "OK");
        transport.Take();

        await Find(server).OnRetransmissionAsync(CancellationToken.None);
        Assert.Equal(["SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        Assert.Equal(TransactionState.Completed, server.State);

        // Finished, it lingers as a tombstone that the live ceiling does not count.
        time.Advance(Timers.TransactionTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal((0, 1), (table.ServerCount, table.LingeringCount));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(table.TryGet(server.Key, out _));
        Assert.Equal(0, table.LingeringCount);
        Assert.Empty(transport.Take());
    }

    [Fact]
    public async Task NonInvite_Provisional_ResentForRetransmissionsAndFinalStillAccepted()
    {
        var server = Add(isInvite: false);
        await SendAsync(server, 182, "Queued");

        await server.OnRetransmissionAsync(CancellationToken.None);

        Assert.Equal(["SIP/2.0 182 Queued -> 6000", "SIP/2.0 182 Queued -> 6000"], transport.TakeLines());
        Assert.True(await SendAsync(server, 200, "OK"));
        Assert.False(await SendAsync(server, 486, "Busy Here"));
    }

    [Fact]
    public async Task Invite_Provisional_ResentForRetransmittedInvite()
    {
        var server = Add(isInvite: true);
        await SendAsync(server, 100, "Trying");
        await SendAsync(server, 180, "Ringing");
        transport.Take();

        await server.OnRetransmissionAsync(CancellationToken.None);

        Assert.Equal(["SIP/2.0 180 Ringing -> 6000"], transport.TakeLines());
        Assert.Equal(TransactionState.Proceeding, server.State);
    }

    [Fact]
    public async Task Invite_NonSuccessFinal_RetransmittedOnTimerGDoublingUpToT2()
    {
        var server = Add(isInvite: true);
        await SendAsync(server, 486, "Busy Here");
        transport.Take();

        // G fires at T1, then 2·T1, 4·T1, then every T2 (4 s) until H.
        var gaps = new[] { 500, 1000, 2000, 4000, 4000 };
        foreach (var gap in gaps)
        {
            time.Advance(TimeSpan.FromMilliseconds(gap - 1));
            Assert.Empty(transport.Take());
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(["SIP/2.0 486 Busy Here -> 6000"], transport.TakeLines());
        }

        Assert.Equal(TransactionState.Completed, server.State);
    }

    [Fact]
    public async Task Invite_NoAckForFinal_TerminatesOnTimerH()
    {
        var server = Add(isInvite: true);
        await SendAsync(server, 503, "Service Unavailable");

        time.Advance(Timers.TransactionTimeout);

        Assert.Equal(TransactionState.Terminated, server.State);
        Assert.Equal(0, table.ServerCount);
        var before = transport.Take().Count;
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(transport.Take());
        Assert.True(before > 1);
    }

    [Fact]
    public async Task Invite_AckForFinal_AbsorbedStopsRetransmissionsAndTerminatesOnTimerI()
    {
        var server = Add(isInvite: true);
        await SendAsync(server, 404, "Not Found");
        transport.Take();

        Assert.True(server.OnAck());

        Assert.Equal(TransactionState.Confirmed, server.State);
        Assert.True(Find(server).OnAck());
        await Find(server).OnRetransmissionAsync(CancellationToken.None);
        time.Advance(Timers.T4 - TimeSpan.FromMilliseconds(1));
        Assert.Empty(transport.Take());
        Assert.True(table.TryGet(server.Key, out _));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(table.TryGet(server.Key, out _));
    }

    [Fact]
    public async Task Invite_Success_AcceptedPassesLater2xxOnlyAndTerminatesOnTimerL()
    {
        var server = Add(isInvite: true);
        await SendAsync(server, 200, "OK");

        Assert.Equal(TransactionState.Accepted, server.State);
        Assert.False(Find(server).OnAck());
        Assert.True(await SendAsync(server, 200, "OK"));
        Assert.False(await SendAsync(server, 486, "Busy Here"));
        await Find(server).OnRetransmissionAsync(CancellationToken.None);
        Assert.Equal(["SIP/2.0 200 OK -> 6000", "SIP/2.0 200 OK -> 6000"], transport.TakeLines());
        Assert.Null(Find(server).Cancel());

        time.Advance(Timers.TransactionTimeout);
        Assert.False(table.TryGet(server.Key, out _));
        Assert.Equal((0, 0), (table.ServerCount, table.LingeringCount));
    }

    [Fact]
    public void Cancel_BeforeUserAttached_AttachRefused()
    {
        var server = Add(isInvite: true);

        Assert.Null(server.Cancel());

        Assert.False(server.TryAttach(new NoUser()));
    }

    [Fact]
    public void TryAdd_SameKeyTwice_SecondIsRetransmission()
    {
        var first = Add(isInvite: true);
        var again = new ServerTransaction(first.Key, true, Messages.Caller, transport, table, Timers);

        Assert.Equal(TableInsert.Exists, table.TryAdd(again, out var existing));
        Assert.Same(first, existing);
    }

    [Fact]
    public void TryAdd_TableAtCapacity_Full()
    {
        var small = new TransactionTable(1, time);
        Assert.Equal(TableInsert.Added, small.TryAdd(new ServerTransaction(new TransactionKey(1), false, Messages.Caller, transport, small, Timers), out _));

        Assert.Equal(TableInsert.Full, small.TryAdd(new ServerTransaction(new TransactionKey(2), false, Messages.Caller, transport, small, Timers), out _));
        Assert.Equal(1, small.ServerCount);
    }

    private ServerTransaction Add(bool isInvite)
    {
        var request = Messages.Parse(Messages.Request(isInvite ? "INVITE" : "BYE"));
        Assert.True(TransactionKey.TryForServer(request, out var key));
        var server = new ServerTransaction(key, isInvite, Messages.Caller, transport, table, Timers);
        Assert.Equal(TableInsert.Added, table.TryAdd(server, out _));
        return server;
    }

    /// <summary>What a request with the transaction's key finds in the table, as the proxy looks it up.</summary>
    private IServerTransaction Find(ServerTransaction server)
    {
        Assert.True(table.TryGet(server.Key, out var found));
        return found!;
    }

    private static async Task<bool> SendAsync(ServerTransaction server, int status, string reason)
    {
        var text = Messages.Response(Messages.Request(server.IsInvite ? "INVITE" : "BYE"), status, reason);
        return await server.SendResponseAsync(SipText.Wire(text), status, CancellationToken.None);
    }

    private sealed class NoUser : IServerTransactionUser
    {
        public ValueTask CancelAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
