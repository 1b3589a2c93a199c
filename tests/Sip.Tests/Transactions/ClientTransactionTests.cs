using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Tests.Transactions;

public sealed class ClientTransactionTests
{
    private const string Branch = "z9hG4bKop00000000000000aa.0000000000000000";
    private static readonly TransactionTimers Timers = TransactionTimers.Default;

    private readonly FakeTimeProvider time = new();
    private readonly TestTransport transport = new();
    private readonly TransactionTable table;
    private readonly RecordingUser user = new();

    public ClientTransactionTests()
    {
        table = new TransactionTable(10, time);
    }

    [Fact]
    public async Task NonInvite_NoResponse_RetransmitsOnTimerEDoublingToT2AndTimesOutOnTimerF()
    {
        var client = await StartAsync("BYE");
        Assert.Equal(["BYE sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());

        var elapsed = 0;
        foreach (var gap in new[] { 500, 1000, 2000, 4000, 4000 })
        {
            time.Advance(TimeSpan.FromMilliseconds(gap));
            elapsed += gap;
            Assert.Single(transport.Take());
        }

        time.Advance(Timers.TransactionTimeout - TimeSpan.FromMilliseconds(elapsed));
        Assert.Equal(1, user.Timeouts);
        Assert.Equal(TransactionState.Terminated, client.State);
        Assert.Equal(0, table.ClientCount);
    }

    [Fact]
    public async Task NonInvite_Provisional_RetransmitsEveryT2()
    {
        var client = await StartAsync("BYE");
        transport.Take();

        await RespondAsync(client, "BYE", 100, "Trying");
        time.Advance(Timers.T1);
        Assert.Single(transport.Take());
        time.Advance(Timers.T2 - TimeSpan.FromMilliseconds(1));
        Assert.Empty(transport.Take());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(transport.Take());
        Assert.Equal(TransactionState.Proceeding, client.State);
        Assert.Equal([100], user.Statuses);
    }

    [Fact]
    public async Task NonInvite_Final_PassedUpOnceRetransmissionAbsorbedAndTerminatedOnTimerK()
    {
        var client = await StartAsync("BYE");
        transport.Take();

        await RespondAsync(client, "BYE", 200, "OK");
        await RespondAsync(client, "BYE", 200, "OK");

        Assert.Equal([200], user.Statuses);
        Assert.Equal(TransactionState.Completed, client.State);
        Assert.Equal((0, 1), (table.ClientCount, table.LingeringCount));
        time.Advance(Timers.T4);
        Assert.False(table.TryGetClient(client.Key, out _));
        Assert.Empty(transport.Take());
        Assert.Equal(0, user.Timeouts);
    }

    [Fact]
    public async Task Invite_NoResponse_RetransmitsOnTimerADoublingAndTimesOutOnTimerB()
    {
        var client = await StartAsync("INVITE");
        transport.Take();

        // A: T1, 2·T1, 4·T1, ... without a cap; B ends it at 64·T1 (six retransmissions).
        var elapsed = 0;
        foreach (var gap in new[] { 500, 1000, 2000, 4000, 8000, 16000 })
        {
            time.Advance(TimeSpan.FromMilliseconds(gap));
            elapsed += gap;
            Assert.Single(transport.Take());
        }

        Assert.Equal(0, user.Timeouts);
        time.Advance(Timers.TransactionTimeout - TimeSpan.FromMilliseconds(elapsed));
        Assert.Equal(1, user.Timeouts);
        Assert.Empty(transport.Take());
        Assert.Equal(TransactionState.Terminated, client.State);
    }

    [Fact]
    public async Task Invite_Provisional_StopsRetransmissionsAndTimerB()
    {
        var client = await StartAsync("INVITE");
        transport.Take();

        await RespondAsync(client, "INVITE", 100, "Trying");
        time.Advance(Timers.TransactionTimeout * 2);

        Assert.Empty(transport.Take());
        Assert.Equal(0, user.Timeouts);
        Assert.Equal(TransactionState.Proceeding, client.State);
        Assert.True(client.HasResponse);
        Assert.True(client.HasProvisional);
    }

    [Fact]
    public async Task Invite_NonSuccessFinal_SendsAckAndResendsItForEachRetransmittedFinalUntilTimerD()
    {
        var client = await StartAsync("INVITE");
        transport.Take();

        await RespondAsync(client, "INVITE", 486, "Busy Here");
        var (ack, destination) = Assert.Single(transport.Take());
        Assert.Equal("ACK sip:service@127.0.0.1:5060 SIP/2.0", Messages.FirstLine(ack));
        Assert.Equal(Messages.Primary, destination);
        Assert.Contains($"branch={Branch}", ack, StringComparison.Ordinal);
        Assert.Contains(";tag=srv1", ack, StringComparison.Ordinal);
        Assert.Contains("CSeq: 314159 ACK\n", ack, StringComparison.Ordinal);

        await RespondAsync(client, "INVITE", 486, "Busy Here");
        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        Assert.Equal([486], user.Statuses);

        time.Advance(Timers.TimerD - TimeSpan.FromMilliseconds(1));
        Assert.True(table.TryGetClient(client.Key, out _));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(table.TryGetClient(client.Key, out _));
        Assert.Equal((0, 0), (table.ClientCount, table.LingeringCount));
    }

    [Fact]
    public async Task Invite_Success_AcceptedPassesEvery2xxUpWithoutAckAndEndsOnTimerM()
    {
        var client = await StartAsync("INVITE");
        transport.Take();

        await RespondAsync(client, "INVITE", 200, "OK");
        await RespondAsync(client, "INVITE", 200, "OK");
        await RespondAsync(client, "INVITE", 486, "Busy Here");

        Assert.Equal([200, 200], user.Statuses);
        Assert.Empty(transport.Take());
        Assert.Equal(TransactionState.Accepted, client.State);
        time.Advance(Timers.TransactionTimeout);
        Assert.False(table.TryGetClient(client.Key, out _));
    }

    [Fact]
    public async Task Start_SendFails_ReturnsFalseAndLeavesTheTable()
    {
        transport.Unreachable[Messages.Primary] = true;

        var client = New("INVITE");

        Assert.False(await client.StartAsync(CancellationToken.None));
        Assert.Equal(TransactionState.Terminated, client.State);
        Assert.Equal(0, table.ClientCount);
        time.Advance(Timers.TransactionTimeout);
        Assert.Equal(0, user.Timeouts);
    }

    [Fact]
    public async Task Terminate_WhileCalling_NoRetransmissionsNoTimeout()
    {
        var client = await StartAsync("INVITE");
        transport.Take();

        client.Terminate();
        time.Advance(Timers.TransactionTimeout);

        Assert.Empty(transport.Take());
        Assert.Equal(0, user.Timeouts);
    }

    [Fact]
    public async Task OnHopDown_WhileCalling_StopsRetransmissionsTellsTheUserOnceAndKeepsTheTransaction()
    {
        var client = await StartAsync("INVITE");
        transport.Take();

        client.OnHopDown();
        client.OnHopDown();
        time.Advance(Timers.TransactionTimeout - TimeSpan.FromMilliseconds(1));

        Assert.Empty(transport.Take());
        Assert.Equal(1, user.HopDowns);
        Assert.Equal(TransactionState.Calling, client.State);
        Assert.Equal(1, table.ClientCount);
    }

    [Fact]
    public async Task OnHopDown_LateNonSuccessFinal_AckedAndPassedUp()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        client.OnHopDown();

        await RespondAsync(client, "INVITE", 486, "Busy Here");

        Assert.Equal(["ACK sip:service@127.0.0.1:5060 SIP/2.0 -> 5070"], transport.TakeLines());
        Assert.Equal([486], user.Statuses);
        Assert.Equal(TransactionState.Completed, client.State);
    }

    [Fact]
    public async Task OnHopDown_Late2xx_PassedUpWithoutAck()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        client.OnHopDown();

        await RespondAsync(client, "INVITE", 200, "OK");

        Assert.Empty(transport.Take());
        Assert.Equal([200], user.Statuses);
        Assert.Equal(TransactionState.Accepted, client.State);
    }

    [Fact]
    public async Task OnHopDown_NoAnswer_LeavesTheTableOnTimerB()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        client.OnHopDown();

        time.Advance(Timers.TransactionTimeout);

        Assert.Equal(TransactionState.Terminated, client.State);
        Assert.Equal(0, table.ClientCount);
        Assert.Empty(transport.Take());
    }

    [Fact]
    public async Task OnHopDown_AfterProvisional_TakesALateFinalThenLeavesTheTableATransactionTimeoutLater()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        await RespondAsync(client, "INVITE", 180, "Ringing");

        client.OnHopDown();
        time.Advance(Timers.TransactionTimeout - TimeSpan.FromMilliseconds(1));
        await RespondAsync(client, "INVITE", 200, "OK");
        Assert.Equal([180, 200], user.Statuses);

        // The 200 came between two ticks of the wheel: its linger ends within a slot after Timer M.
        time.Advance(Timers.TransactionTimeout + table.Wheel.Slot);
        Assert.False(table.TryGetClient(client.Key, out _));
        Assert.Equal(0, table.ClientCount);
    }

    [Fact]
    public async Task OnHopDown_AfterProvisionalAndNoFinal_LeavesTheTableATransactionTimeoutLater()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        await RespondAsync(client, "INVITE", 180, "Ringing");

        client.OnHopDown();
        time.Advance(Timers.TransactionTimeout);

        Assert.Equal(TransactionState.Terminated, client.State);
        Assert.Equal(0, table.ClientCount);
    }

    [Fact]
    public async Task OnHopDown_ThenProvisionalAndNoFinal_StillLeavesTheTable()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        client.OnHopDown();

        await RespondAsync(client, "INVITE", 180, "Ringing");
        time.Advance(Timers.TransactionTimeout);
        time.Advance(Timers.TimerC);

        Assert.Equal(TransactionState.Terminated, client.State);
        Assert.Equal(0, table.ClientCount);
    }

    [Fact]
    public async Task OnHopDown_AfterTheFinal_ChangesNothing()
    {
        var client = await StartAsync("INVITE");
        transport.Take();
        await RespondAsync(client, "INVITE", 486, "Busy Here");
        transport.Take();

        client.OnHopDown();

        Assert.Equal(0, user.HopDowns);
        Assert.Equal(TransactionState.Completed, client.State);
    }

    [Fact]
    public async Task NonInvite_OnHopDown_StopsRetransmissionsTakesALateFinalOrEndsOnTimerF()
    {
        var client = await StartAsync("BYE");
        transport.Take();

        client.OnHopDown();
        time.Advance(Timers.TransactionTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(transport.Take());
        Assert.Equal(1, user.HopDowns);
        Assert.Equal(1, table.ClientCount);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Terminated, client.State);
        Assert.Equal(0, table.ClientCount);
    }

    [Fact]
    public async Task NonInvite_OnHopDownAfterProvisional_TakesALateFinal()
    {
        var client = await StartAsync("BYE");
        transport.Take();
        await RespondAsync(client, "BYE", 100, "Trying");

        client.OnHopDown();
        time.Advance(Timers.T2 * 2);
        await RespondAsync(client, "BYE", 200, "OK");

        Assert.Empty(transport.Take());
        Assert.Equal([100, 200], user.Statuses);
        Assert.Equal(TransactionState.Completed, client.State);
    }

    private ClientTransaction New(string method)
    {
        var request = SipText.Wire(Messages.Request(method, Branch));
        var key = TransactionKey.ForClient(System.Text.Encoding.ASCII.GetBytes(Branch), System.Text.Encoding.ASCII.GetBytes(method));
        return new ClientTransaction(key, method == "INVITE", request, Messages.Primary, transport, table, Timers, user);
    }

    private async Task<ClientTransaction> StartAsync(string method)
    {
        var client = New(method);
        Assert.True(await client.StartAsync(CancellationToken.None));
        return client;
    }

    /// <summary>Delivers a response as the proxy does: to what the table holds under its key, live or lingering; else nowhere.</summary>
    private async Task RespondAsync(ClientTransaction client, string method, int status, string reason)
    {
        var response = Messages.Parse(Messages.Response(Messages.Request(method, Branch), status, reason));
        Assert.True(TransactionKey.TryForResponse(response, out var key));
        Assert.Equal(client.Key, key);
        if (table.TryGetClient(key, out var found))
        {
            await found!.OnResponseAsync(response, CancellationToken.None);
        }
    }

    private sealed class RecordingUser : IClientTransactionUser, IAcceptedRelay
    {
        private readonly ConcurrentQueue<int> statuses = new();
        private int timeouts;
        private int hopDowns;

        public List<int> Statuses => [.. statuses];

        public int Timeouts => Volatile.Read(ref timeouts);

        public int HopDowns => Volatile.Read(ref hopDowns);

        public ValueTask OnResponseAsync(ClientTransaction transaction, SipMessage response, CancellationToken cancellationToken)
        {
            statuses.Enqueue(response.StatusCode);
            return ValueTask.CompletedTask;
        }

        public IAcceptedRelay AcceptedRelay => this;

        public ValueTask RelayAsync(SipMessage response, CancellationToken cancellationToken)
        {
            statuses.Enqueue(response.StatusCode);
            return ValueTask.CompletedTask;
        }

        public void OnTimeout(ClientTransaction transaction) => Interlocked.Increment(ref timeouts);

        public void OnHopDown(ClientTransaction transaction) => Interlocked.Increment(ref hopDowns);
    }
}
