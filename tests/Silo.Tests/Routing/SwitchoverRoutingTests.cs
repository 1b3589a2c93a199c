using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.Demo;
using static OrleansProxy.Silo.Tests.Routing.MultiSiteNode;

namespace OrleansProxy.Silo.Tests.Routing;

/// <summary>Requests that name a pair member follow the pair's switchover: each test switches a pair, so each has its own node.</summary>
public sealed class SwitchoverRoutingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private MultiSiteNode node = null!;

    public async Task InitializeAsync() => node = await StartAsync();

    public async Task DisposeAsync() => await node.DisposeAsync();

    [Fact]
    public async Task InterServerInviteToAMember_ReachesItsPairsActiveMemberAfterASwitchover()
    {
        var hamburg = node.Pairs["hamburg"];
        await node.SwitchToBackupAsync("hamburg");

        var status = await node.Pairs["berlin-main"].Primary.SendRequestAsync(
            "INVITE", node.Sip, $"sip:agent@{hamburg.Primary.EndPoint}", [], Patience, CancellationToken.None);

        Assert.Equal(200, status);
        Assert.Equal(1, hamburg.Backup.Counts.InvitesReceived);
        Assert.Equal(0, hamburg.Primary.Counts.InvitesReceived);
    }

    [Fact]
    public async Task AckForACallAnsweredBeforeASwitchover_ReachesTheNewActiveMember()
    {
        var main = node.Pairs["berlin-main"];
        using var agent = new ScriptedSipPeer();
        var (contact, route, to) = await CallThePrimaryAsync(agent, "ack-across-switchover");

        // The ACK names the old primary; the pair's grain has since published the backup as its active member.
        await node.SwitchToBackupAsync("berlin-main");
        await agent.SendAsync(RawSip.Request("ACK", contact, agent, "ack-across-switchover", 1, route, to), node.Sip);

        await Eventually.Satisfies(() => Task.FromResult(main.Backup.Counts.AcksReceived), acks => acks == 1, "the ACK to reach the new active member");
        Assert.Equal(0, main.Primary.Counts.AcksReceived);
    }

    [Fact]
    public async Task ByeForACallSetUpBeforeASwitchover_ReachesTheNewActiveMember()
    {
        var main = node.Pairs["berlin-main"];
        using var agent = new ScriptedSipPeer();
        var (contact, route, to) = await CallThePrimaryAsync(agent, "across-switchover");
        await agent.SendAsync(RawSip.Request("ACK", contact, agent, "across-switchover", 1, route, to), node.Sip);

        await node.SwitchToBackupAsync("berlin-main");
        var bye = await RawSip.SendAndAwaitFinalAsync(agent, RawSip.Request("BYE", contact, agent, "across-switchover", 2, route, to), node.Sip);

        Assert.Equal(200, bye.Message.StatusCode);
        Assert.Equal(1, main.Backup.Counts.ByesAnswered);
        Assert.Equal(0, main.Primary.Counts.ByesAnswered);
        Assert.Equal(MemberRole.Backup, (await node.Grain("berlin-main").GetStatus()).ActiveRole);
    }

    /// <summary>A call from <paramref name="agent"/> answered by berlin-main's primary: the dialog's remote target, Route and To.</summary>
    private async Task<(string Contact, string Route, string To)> CallThePrimaryAsync(ScriptedSipPeer agent, string callId)
    {
        var answer = await RawSip.SendAndAwaitFinalAsync(agent, RawSip.Request("INVITE", $"sip:service@{Alias}", agent, callId), node.Sip);
        Assert.Equal(200, answer.Message.StatusCode);
        var contact = RawSip.UriOf(Assert.Single(answer.HeaderLines("Contact")));
        Assert.Equal($"sip:{node.Pairs["berlin-main"].Primary.EndPoint}", contact);
        return (contact, $"Route: <{RawSip.UriOf(Assert.Single(answer.HeaderLines("Record-Route")))}>", answer.HeaderLines("To")[0]);
    }
}
