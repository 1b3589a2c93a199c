namespace OrleansProxy.Sip.Parsing;

/// <summary>Bounds checked before and while parsing, so a hostile message costs little.</summary>
public sealed record SipParseLimits
{
    public static readonly SipParseLimits Default = new();

    public int MaxMessageBytes { get; init; } = 65_535;

    public int MaxHeaders { get; init; } = 128;

    public int MaxHeaderLineBytes { get; init; } = 8_192;

    public int MaxVias { get; init; } = 32;
}
