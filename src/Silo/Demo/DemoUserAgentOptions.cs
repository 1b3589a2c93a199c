namespace OrleansProxy.Silo.Demo;

internal sealed record DemoUserAgentOptions
{
    public static readonly DemoUserAgentOptions Default = new();

    public SipTimers Timers { get; init; } = SipTimers.Default;

    /// <summary>Timer B: how long an INVITE waits for its final response. Shorter than RFC 3261's 64*T1, so a demo shows failures quickly.</summary>
    public TimeSpan InviteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer F: how long a BYE waits for its final response.</summary>
    public TimeSpan ByeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a call stays up between ACK and BYE.</summary>
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The user part of the Request-URI: calls go to <c>sip:{ServiceUser}@proxy</c>.</summary>
    public string ServiceUser { get; init; } = "service";
}
