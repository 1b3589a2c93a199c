using System.Net;

namespace OrleansProxy.Sip.Proxy;

/// <summary>Forward to <see cref="Destination"/>, or answer with <see cref="StatusCode"/> and a reason phrase that says why.</summary>
public readonly record struct RouteDecision(IPEndPoint? Destination, int StatusCode, string? ReasonPhrase, int RetryAfterSeconds)
{
    public static RouteDecision Forward(IPEndPoint destination) => new(destination, 0, null, 0);

    public static RouteDecision Reject(int statusCode, string reasonPhrase, int retryAfterSeconds = 0) =>
        new(null, statusCode, reasonPhrase, retryAfterSeconds);
}
