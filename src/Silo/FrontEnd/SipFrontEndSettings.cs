using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Overload;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>What the SIP front-end needs from the validated configuration.</summary>
internal sealed record SipFrontEndSettings(
    IReadOnlyList<ListenEndpoint> Listen,
    IReadOnlyList<string> Aliases,
    bool RecordRoute,
    RoutingTable Routing,
    int MaxMessageBytes,
    TransactionSettings Transactions)
{
    public StreamSettings Streams { get; init; } = StreamSettings.Default;

    /// <summary>Past this size a request leaves over TCP instead of UDP (RFC 3261 §18.1.1); 0 = never.</summary>
    public int UdpMaxRequestBytes { get; init; } = UdpOptions.DefaultMaxRequestBytes;

    /// <summary>REGISTER requests get a Path naming this instance and the user agent's flow (RFC 3327, RFC 5626).</summary>
    public bool Path { get; init; } = true;

    /// <summary>Where every SIP message is captured to as HEP v3; null = capture off.</summary>
    public HepCaptureSettings? Capture { get; init; }

    /// <summary>Named in the Server header of the proxy's own responses and the User-Agent of its probes.</summary>
    public ProductName Product { get; init; } = ProductName.Default;

    /// <summary>The limits at start-up; a reload changes them in the node's <see cref="OverloadControl"/>.</summary>
    public OverloadLimits Overload { get; init; } = OverloadLimits.Off;

    /// <summary>Synthetic calls run through the proxy core before the listeners take traffic, so the first callers pay no JIT.</summary>
    public bool WarmUp { get; init; }
}
