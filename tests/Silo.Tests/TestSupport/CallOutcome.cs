namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>Final statuses of the INVITE and the BYE; 0 when none came.</summary>
internal sealed record CallOutcome(int InviteStatus, int ByeStatus)
{
    public bool Completed => InviteStatus == 200 && ByeStatus == 200;
}
