namespace OrleansProxy.Sip.Parsing;

/// <summary>Bounds checked before and while parsing, so a hostile message costs little.</summary>
public sealed record SipParseLimits
{
    public static readonly SipParseLimits Default = new();

    public int MaxMessageBytes { get; init; } = SipDefaults.MaxMessageBytes;

    public int MaxHeaders { get; init; } = 128;

    public int MaxHeaderLineBytes { get; init; } = 8_192;

    /// <summary>
    /// Above the 71 Via values a request gathers on its way from a caller that starts at the usual Max-Forwards of 70
    /// (RFC 3261 §8.1.1.6): a valid request is never refused for its path (RFC 4475 §3.1.1.7 has 34).
    /// </summary>
    public int MaxVias { get; init; } = 80;
}
