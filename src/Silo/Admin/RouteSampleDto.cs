namespace OrleansProxy.Silo.Admin;

/// <summary>How the proxy would route an INVITE with the sample's Request-URI from the sample's source, right now.</summary>
/// <param name="SentBy">"server" (a pair member or a trusted network) or "userAgent".</param>
/// <param name="Decision">"forward" or "reject".</param>
/// <param name="Reason">Why the policy chose this: the rule, the default, the static route... or the reject's reason phrase.</param>
/// <param name="Pair">The pair the request goes to; null when it goes to a next hop outside the pairs or is rejected.</param>
/// <param name="Destination">Where it would be sent (a pair's current active member); null when rejected.</param>
/// <param name="Transport">udp, tcp or tls; null when rejected.</param>
/// <param name="StatusCode">The reject's status code; null when forwarded.</param>
internal sealed record RouteSampleDto(
    string RequestUri,
    string Source,
    string Listener,
    string SentBy,
    string Decision,
    string Reason,
    string? Pair,
    string? Destination,
    string? Transport,
    int? StatusCode);
