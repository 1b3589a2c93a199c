namespace OrleansProxy.Sip.Probing;

/// <param name="StatusCode">The final (or first) response's status code; 0 when nothing answered.</param>
public readonly record struct OptionsProbeResult(bool Answered, int StatusCode, TimeSpan RoundTrip);
