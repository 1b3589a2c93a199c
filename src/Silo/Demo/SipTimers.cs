namespace OrleansProxy.Silo.Demo;

/// <summary>The RFC 3261 §17 timer base values for UDP.</summary>
/// <param name="T1">Round-trip estimate: the first retransmission interval.</param>
/// <param name="T2">The longest retransmission interval of non-INVITE requests and INVITE final responses.</param>
internal sealed record SipTimers(TimeSpan T1, TimeSpan T2)
{
    public static readonly SipTimers Default = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4));

    /// <summary>64*T1, the RFC's Timer B, F and H.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;
}
