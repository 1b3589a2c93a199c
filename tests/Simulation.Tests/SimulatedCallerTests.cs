using System.Net;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Simulation.Tests;

/// <summary>The caller straight against a simulated pair, no proxy between them.</summary>
public sealed class SimulatedCallerTests
{
    private static readonly SimulatedCallerOptions Fast = new() { HoldTime = TimeSpan.FromMilliseconds(20), InviteTimeout = TimeSpan.FromSeconds(10), ByeTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task PlaceCallAsync_ActiveMember_SucceedsAndTheMemberCountsIt()
    {
        await using var pair = SimulatedHaPair.Start();
        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), pair.Primary.EndPoint, Fast);

        var call = await caller.PlaceCallAsync(CancellationToken.None);

        Assert.True(call.Succeeded, call.FailureReason);
        Assert.Equal(1, call.CallNumber);
        Assert.Equal(200, call.InviteStatus);
        Assert.Equal(200, call.ByeStatus);
        Assert.Equal(pair.Primary.EndPoint, call.AnsweredBy);
        var counts = pair.Primary.Counts;
        Assert.Equal(1, counts.InvitesAnswered);
        Assert.Equal(1, counts.AcksReceived);
        Assert.Equal(1, counts.ByesAnswered);
        Assert.Equal(0, counts.ByesForOtherMembersDialogs);
    }

    [Fact]
    public async Task PlaceCallAsync_StandbyRefusing_FailsWith503()
    {
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = StandbyBehavior.Refuse503 });
        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), pair.Backup.EndPoint, Fast);

        var call = await caller.PlaceCallAsync(CancellationToken.None);

        Assert.False(call.Succeeded);
        Assert.Equal(503, call.InviteStatus);
        Assert.Equal(503, call.FailureStatus);
        Assert.Equal(0, pair.Backup.Counts.InvitesReceived);
    }

    [Fact]
    public async Task PlaceCallAsync_SilentStandby_RetransmitsThenGivesUp()
    {
        var options = Fast with { Timers = TransactionTimers.Default with { T1 = TimeSpan.FromMilliseconds(20) } };
        await using var pair = SimulatedHaPair.Start(new SimulatedHaPairOptions { Standby = StandbyBehavior.Silent });
        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), pair.Backup.EndPoint, options);

        var call = await caller.PlaceCallAsync(CancellationToken.None);

        Assert.False(call.Succeeded);
        Assert.Equal(0, call.InviteStatus);
        Assert.True(pair.Backup.Counts.InvitesWhileStandby > 1, "the INVITE was not retransmitted");
    }

    [Fact]
    public async Task InviteAsyncThenHangUpAsync_OneCall_TheDialogLivesBetweenThem()
    {
        await using var pair = SimulatedHaPair.Start();
        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), pair.Primary.EndPoint, Fast);

        var attempt = await caller.InviteAsync(CancellationToken.None);
        var dialogsWhileUp = pair.Dialogs;
        var byeStatus = await caller.HangUpAsync(attempt.Call!, CancellationToken.None);

        Assert.Equal(200, attempt.InviteStatus);
        Assert.Null(attempt.FailureReason);
        Assert.Equal(pair.Primary.EndPoint, attempt.Call!.AnsweredBy);
        Assert.Equal(1, dialogsWhileUp);
        Assert.Equal(200, byeStatus);
        Assert.Equal(0, pair.Dialogs);
    }

    [Fact]
    public async Task RunLoadAsync_Bounded_EveryCallSucceedsAndTotalsAddUp()
    {
        await using var pair = SimulatedHaPair.Start();
        await using var caller = SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), pair.Primary.EndPoint, Fast);
        var completed = 0;

        var results = await caller.RunLoadAsync(20, 100, TimeSpan.FromSeconds(10), _ => Interlocked.Increment(ref completed), CancellationToken.None);
        var totals = CallTotals.Of(results);

        Assert.Equal(20, totals.Placed);
        Assert.Equal(20, totals.Completed);
        Assert.Equal(0, totals.Failed);
        Assert.Equal(20, completed);
        Assert.Equal(20, pair.Primary.Counts.ByesAnswered);
        Assert.Equal(0, pair.Dialogs);
    }
}
