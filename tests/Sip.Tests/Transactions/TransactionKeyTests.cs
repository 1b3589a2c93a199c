using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Tests.Transactions;

public sealed class TransactionKeyTests
{
    [Fact]
    public void TryForServer_AckOfInvite_SameKeyAsTheInvite()
    {
        Assert.Equal(ServerKey(Messages.Request("INVITE")), ServerKey(Messages.Request("ACK", toTag: "srv1")));
    }

    [Fact]
    public void TryForServer_CancelOfInvite_OwnKeyButNamesTheInvite()
    {
        var cancel = Messages.Parse(Messages.Request("CANCEL"));

        Assert.True(TransactionKey.TryForCancelledInvite(cancel, out var cancelled));

        Assert.Equal(ServerKey(Messages.Request("INVITE")), cancelled);
        Assert.NotEqual(ServerKey(Messages.Request("INVITE")), ServerKey(Messages.Request("CANCEL")));
    }

    [Fact]
    public void TryForServer_OtherBranch_OtherKey()
    {
        Assert.NotEqual(ServerKey(Messages.Request("INVITE")), ServerKey(Messages.Request("INVITE", branch: "z9hG4bKother")));
    }

    [Fact]
    public void TryForServer_Rfc2543BranchlessAck_MatchesItsInvite()
    {
        Assert.Equal(ServerKey(Messages.Request("INVITE", branch: "old1")), ServerKey(Messages.Request("ACK", branch: "old1", toTag: "srv1")));
        Assert.NotEqual(ServerKey(Messages.Request("INVITE", branch: "old1")), ServerKey(Messages.Request("INVITE", branch: "old1", cseq: 2)));
    }

    [Fact]
    public void TryForResponse_ResponseToOurRequest_MatchesTheClientKey()
    {
        const string Branch = "z9hG4bKop1";
        var response = Messages.Parse(Messages.Response(Messages.Request("INVITE", Branch), 180, "Ringing"));

        Assert.True(TransactionKey.TryForResponse(response, out var key));

        Assert.Equal(TransactionKey.ForClient("z9hG4bKop1"u8, "INVITE"u8), key);
        Assert.NotEqual(TransactionKey.ForClient("z9hG4bKop1"u8, "CANCEL"u8), key);
    }

    private static TransactionKey ServerKey(string text)
    {
        Assert.True(TransactionKey.TryForServer(Messages.Parse(text), out var key));
        return key;
    }
}
