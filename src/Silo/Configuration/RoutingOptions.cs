using OrleansProxy.Routing.Location;

namespace OrleansProxy.Silo.Configuration;

/// <summary>The "Proxy:Routing" section: which pair serves a user agent, who counts as a server, where servers' requests go.</summary>
internal sealed class RoutingOptions : ISectionOptions
{
    /// <summary>Checked by kind, not by position: listener, domain, user prefix, source network.</summary>
    public IList<RoutingRuleOptions> Rules { get; private set; } = [];

    /// <summary>CIDRs user agents may send from; empty lets any source send.</summary>
    public IList<string> UserAgentNetworks { get; private set; } = [];

    /// <summary>CIDRs whose requests are routed like a pair member's (Route / Request-URI, DNS).</summary>
    public IList<string> TrustedNetworks { get; private set; } = [];

    public IList<StaticRouteOptions> StaticRoutes { get; private set; } = [];

    /// <summary>A header by which a server names the next hop (e.g. X-Route-To); none when not set.</summary>
    public string? NextHopHeader { get; set; }

    /// <summary>"Proxy:Routing:Dns", checked as it is read.</summary>
    public DnsLocatorSettings Dns { get; private set; } = new();

    public void ReadFrom(SectionReader section)
    {
        Rules = section.Entries<RoutingRuleOptions>(nameof(Rules), RoutingRuleOptions.Shape);
        UserAgentNetworks = section.Texts(nameof(UserAgentNetworks));
        TrustedNetworks = section.Texts(nameof(TrustedNetworks));
        StaticRoutes = section.Entries<StaticRouteOptions>(nameof(StaticRoutes), StaticRouteOptions.Shape);
        NextHopHeader = section.Text(nameof(NextHopHeader));
        Dns = section.Section(nameof(Dns), DnsLocatorOptions.Read);
    }
}
