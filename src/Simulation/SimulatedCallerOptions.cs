using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Simulation;

public sealed record SimulatedCallerOptions
{
    public static readonly SimulatedCallerOptions Default = new();

    /// <summary>RFC 3261 timers of the caller's client transactions (retransmissions, Timer B and F).</summary>
    public TransactionTimers Timers { get; init; } = TransactionTimers.Default;

    /// <summary>The longest an INVITE waits for its final response: after a provisional no Timer B runs, so this bounds it.</summary>
    public TimeSpan InviteTimeout { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>The longest a BYE waits for its final response.</summary>
    public TimeSpan ByeTimeout { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>How long a call stays up between ACK and BYE.</summary>
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The user part of the Request-URI: calls go to <c>sip:{ServiceUser}@proxy</c>.</summary>
    public string ServiceUser { get; init; } = "service";

    /// <summary>Client transactions the caller holds at once.</summary>
    public int MaxTransactions { get; init; } = 100_000;
}
