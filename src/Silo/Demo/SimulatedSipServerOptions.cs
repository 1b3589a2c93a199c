namespace OrleansProxy.Silo.Demo;

internal sealed record SimulatedSipServerOptions
{
    public static readonly SimulatedSipServerOptions Default = new();

    /// <summary>From 180 Ringing to 200 OK. Zero answers at once; a delay leaves room for a CANCEL.</summary>
    public TimeSpan AnswerDelay { get; init; } = TimeSpan.Zero;

    public SipTimers Timers { get; init; } = SipTimers.Default;

    /// <summary>Calls held at once (ringing, awaiting ACK, or up until BYE); INVITEs beyond it get 503.</summary>
    public int MaxCalls { get; init; } = 10_000;
}
