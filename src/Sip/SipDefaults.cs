namespace OrleansProxy.Sip;

/// <summary>The numbers RFC 3261 gives as defaults, written once for every layer that needs them.</summary>
public static class SipDefaults
{
    /// <summary>The port of sip: URIs and of UDP and TCP when none is given (RFC 3261 §19.1.2).</summary>
    public const int Port = 5060;

    /// <summary>The port of sips: URIs and of TLS when none is given (RFC 3261 §19.1.2).</summary>
    public const int TlsPort = 5061;

    /// <summary>The largest message accepted by default: the largest UDP payload, so that no datagram is cut short.</summary>
    public const int MaxMessageBytes = 65_535;
}
