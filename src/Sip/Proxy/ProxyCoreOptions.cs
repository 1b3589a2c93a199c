using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Proxy;

public sealed record ProxyCoreOptions
{
    /// <summary>Add Record-Route to dialog-creating requests so in-dialog requests come back through the pool.</summary>
    public bool RecordRoute { get; init; } = true;

    public SipParseLimits Limits { get; init; } = SipParseLimits.Default;

    /// <summary>Retry-After (seconds) on a 503 the proxy gives when it has nowhere to send a request.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>
    /// A header by which a sender names the next hop (e.g. <c>X-Route-To</c>); null for none. Its value goes to
    /// the resolver as <see cref="RoutingRequest.NamedNextHop"/> and the header is never forwarded.
    /// </summary>
    public string? NextHopHeader { get; init; }

    /// <summary>
    /// A request larger than this (bytes, after our edits) leaves over TCP instead of UDP when a TCP listener of the
    /// same address family exists (RFC 3261 §18.1.1: 200 bytes under a 1500-byte path MTU).
    /// </summary>
    public int UdpMaxRequestBytes { get; init; } = 1300;

    /// <summary>Names the proxy in the Server header of the responses it makes itself; <see cref="ProductName.None"/> leaves it out.</summary>
    public ProductName Product { get; init; } = ProductName.Default;
}
