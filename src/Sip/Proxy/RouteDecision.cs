using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Forward to <see cref="Destination"/> over <see cref="Transport"/>, or answer with <see cref="StatusCode"/> and a
/// reason phrase that says why.
/// </summary>
public readonly record struct RouteDecision(IPEndPoint? Destination, int StatusCode, string? ReasonPhrase, int RetryAfterSeconds, SipTransportKind Transport = SipTransportKind.Udp)
{
    /// <summary>
    /// The listener (its bound endpoint) the request leaves from, when the route names one: on a node with several
    /// interfaces, the one that reaches <see cref="Destination"/>. Null lets the route table decide.
    /// </summary>
    public IPEndPoint? Egress { get; init; }

    public static RouteDecision Forward(IPEndPoint destination, SipTransportKind transport = SipTransportKind.Udp) => new(destination, 0, null, 0, transport);

    public static RouteDecision Reject(int statusCode, string reasonPhrase, int retryAfterSeconds = 0) =>
        new(null, statusCode, reasonPhrase, retryAfterSeconds);
}
