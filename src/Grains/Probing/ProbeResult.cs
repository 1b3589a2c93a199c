namespace OrleansProxy.Grains.Probing;

/// <summary>
/// The outcome of one probe. Any SIP response counts as answered (the server is alive); whether it also serves
/// depends on <see cref="StatusCode"/> (a standby's 503 does not).
/// </summary>
public readonly record struct ProbeResult(bool Answered, TimeSpan RoundTrip, int StatusCode)
{
    public static ProbeResult NoAnswer(TimeSpan waited) => new(false, waited, 0);
}
