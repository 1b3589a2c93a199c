namespace OrleansProxy.Simulation;

/// <summary>The outcome of an INVITE: an acknowledged call, or why there is none.</summary>
/// <param name="InviteStatus">The final status code; 0 when none came.</param>
/// <param name="Call">Set when the INVITE got a 2xx and the ACK went out.</param>
/// <param name="FailureReason">Null when <paramref name="Call"/> is set.</param>
public sealed record CallAttempt(int InviteStatus, EstablishedCall? Call, string? FailureReason)
{
    /// <summary>The failed call's result; set when <see cref="Call"/> is null.</summary>
    internal CallResult Failed { get; init; } = null!;
}
