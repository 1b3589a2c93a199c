using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transactions;

namespace OrleansProxy.Sip.Proxy;

public sealed record ProxyCoreOptions
{
    /// <summary>Add Record-Route to dialog-creating requests so in-dialog requests come back through the pool.</summary>
    public bool RecordRoute { get; init; } = true;

    /// <summary>
    /// Add Path (RFC 3327) to REGISTER requests, naming this instance and the flow the REGISTER came on (RFC 5626), so
    /// the registrar's requests for the contact come back through this instance and over the user agent's own flow.
    /// </summary>
    public bool Path { get; init; } = true;

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
    /// same address family exists (RFC 3261 §18.1.1: 200 bytes under a 1500-byte path MTU), and over UDP after all
    /// when the next hop refuses the connection. 0 keeps every request on UDP, for servers that take no TCP.
    /// </summary>
    public int UdpMaxRequestBytes { get; init; } = 1300;

    /// <summary>
    /// Stateless mode: the most INVITEs whose next hop is remembered so that their CANCEL and non-2xx ACK go there too
    /// (§16.11); past it the oldest is forgotten (counted), and its CANCEL is routed as any request is.
    /// </summary>
    public int RememberedInvites { get; init; } = 100_000;

    /// <summary>How long an INVITE's next hop is remembered: as long as it may ring (Timer C) and its final response be retransmitted (64·T1).</summary>
    public TimeSpan RememberInvitesFor { get; init; } = TransactionTimers.Default.TimerC + TransactionTimers.Default.TransactionTimeout;

    /// <summary>Names the proxy in the Server header of the responses it makes itself; <see cref="ProductName.None"/> leaves it out.</summary>
    public ProductName Product { get; init; } = ProductName.Default;
}
