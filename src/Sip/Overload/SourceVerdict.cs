namespace OrleansProxy.Sip.Overload;

internal enum SourceVerdict
{
    Admitted,

    /// <summary>The source is blocked already: drop the message.</summary>
    Blocked,

    /// <summary>The source has just gone over its rate: block it unless it is exempt.</summary>
    OverRate,
}
