namespace OrleansProxy.Grains.Probing;

/// <summary>
/// The outcome of one probe. Any SIP response counts as answered (a server that
/// says 404 or 503 to OPTIONS is alive); <see cref="StatusCode"/> is kept for display.
/// </summary>
public readonly record struct ProbeResult(bool Answered, TimeSpan RoundTrip, int StatusCode)
{
    public static ProbeResult NoAnswer(TimeSpan waited) => new(false, waited, 0);
}
