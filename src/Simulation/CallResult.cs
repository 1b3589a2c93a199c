using System.Net;

namespace OrleansProxy.Simulation;

/// <summary>The outcome of one call placed by <see cref="SimulatedCaller"/>: it succeeds when both INVITE and BYE got a 2xx.</summary>
/// <param name="CallNumber">1, 2, 3... in the order this caller started its calls.</param>
/// <param name="InviteStatus">The INVITE's final status code; 0 when none came.</param>
/// <param name="ByeStatus">The BYE's final status code; 0 when no BYE was sent or none came.</param>
/// <param name="FailureReason">Null when the call succeeded.</param>
/// <param name="AnsweredBy">The answering server, from the 200's Contact; null when no 200 came.</param>
/// <param name="SetupTime">From sending the INVITE to its final response (or to giving up).</param>
/// <param name="Duration">From sending the INVITE to the end of the call.</param>
public sealed record CallResult(
    int CallNumber,
    string CallId,
    bool Succeeded,
    int InviteStatus,
    int ByeStatus,
    string? FailureReason,
    IPEndPoint? AnsweredBy,
    DateTimeOffset StartedAt,
    TimeSpan SetupTime,
    TimeSpan Duration)
{
    /// <summary>The status that failed the call: the INVITE's when it was not a 2xx, else the BYE's; 0 when a request got no answer.</summary>
    public int FailureStatus => Succeeded ? 0 : InviteStatus is < 200 or >= 300 ? InviteStatus : ByeStatus;
}
