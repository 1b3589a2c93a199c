namespace OrleansProxy.Sip.Flows;

/// <summary>What a URI user part turned out to be, read as a flow token (RFC 5626 §5.3).</summary>
internal enum FlowTokenStatus
{
    /// <summary>Not shaped like a token of this proxy: an ordinary user part, left alone.</summary>
    NotAToken,

    /// <summary>Made by this process: it names a flow, which may since have closed.</summary>
    Valid,

    /// <summary>Shaped like a token of this run but not sealed by it: tampered with (403).</summary>
    Forged,

    /// <summary>Sealed under another key, by a previous run of this instance: its flow is gone (430).</summary>
    OtherRun,
}
