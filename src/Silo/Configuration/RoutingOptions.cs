
namespace OrleansProxy.Silo.Configuration;

/// <summary>The "Proxy:Routing" section: which pair serves a user agent, who counts as a server, where servers' requests go.</summary>
internal sealed class RoutingOptions
{
    /// <summary>Checked by kind, not by position: listener, domain, user prefix, source network.</summary>
    public IList<RoutingRuleOptions> Rules { get; } = [];

    /// <summary>CIDRs user agents may send from; empty lets any source send.</summary>
    public IList<string> UserAgentNetworks { get; } = [];

    /// <summary>CIDRs whose requests are routed like a pair member's (Route / Request-URI, DNS).</summary>
    public IList<string> TrustedNetworks { get; } = [];

    public IList<StaticRouteOptions> StaticRoutes { get; } = [];

    /// <summary>A header by which a server names the next hop (e.g. X-Route-To); none when not set.</summary>
    public string? NextHopHeader { get; set; }
}
