namespace OrleansProxy.Grains;

/// <summary>What the probes say of a member (DESIGN.md, "How a switchover is detected").</summary>
[GenerateSerializer, Alias("OrleansProxy.MemberHealth")]
public enum MemberHealth
{
    /// <summary>Not probed yet, or missed fewer than FailuresToDown probes since it was last heard.</summary>
    Unknown = 0,

    /// <summary>Answered its last probe with a serving code (2xx unless configured otherwise): it may be active.</summary>
    Serving = 1,

    /// <summary>Missed FailuresToDown probes in a row.</summary>
    Down = 2,

    /// <summary>Answered, but not with a serving code: alive, e.g. a standby that refuses with 503 until it takes over.</summary>
    NotServing = 3,
}
