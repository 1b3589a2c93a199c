using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Proxy;

public sealed record ProxyCoreOptions
{
    /// <summary>Add Record-Route to dialog-creating requests so in-dialog requests come back through the pool.</summary>
    public bool RecordRoute { get; init; } = true;

    public SipParseLimits Limits { get; init; } = SipParseLimits.Default;

    /// <summary>Retry-After (seconds) on a 503 the proxy gives when it has nowhere to send a request.</summary>
    public int RetryAfterSeconds { get; init; } = 5;
}
