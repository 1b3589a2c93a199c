using System.Net;

namespace OrleansProxy.Silo.Demo;

/// <summary>The outcome of one call placed by <see cref="DemoUserAgent"/>: it succeeds when both INVITE and BYE got a 2xx.</summary>
/// <param name="CallNumber">1, 2, 3... in the order this user agent started its calls.</param>
/// <param name="InviteStatus">The INVITE's final status code; 0 when none came before Timer B.</param>
/// <param name="ByeStatus">The BYE's final status code; 0 when no BYE was sent or none came before Timer F.</param>
/// <param name="FailureReason">Null when the call succeeded.</param>
/// <param name="AnsweredBy">The answering server, from the 200's Contact; null when no 200 came or its Contact is not an address.</param>
/// <param name="SetupTime">From sending the INVITE to its final response (or to giving up).</param>
internal sealed record DemoCallResult(
    int CallNumber,
    bool Succeeded,
    int InviteStatus,
    int ByeStatus,
    string? FailureReason,
    IPEndPoint? AnsweredBy,
    DateTimeOffset StartedAt,
    TimeSpan SetupTime);
