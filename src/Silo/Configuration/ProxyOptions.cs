namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// The "Proxy" configuration section, key for key as DESIGN.md's configuration contract
/// names them. <see cref="ProxyOptionsReader"/> fills it; <see cref="ProxyOptionsValidator"/>
/// turns it into <see cref="ProxySettings"/>.
/// </summary>
internal sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>"udp://host:port" per listening socket; host is an IP address.</summary>
    public IList<string> Listen { get; } = [];

    /// <summary>Host names (and addresses) under which user agents and servers address this pool.</summary>
    public IList<string> Aliases { get; } = [];

    public bool RecordRoute { get; set; } = true;

    /// <summary>Add Path (RFC 3327) with a flow token (RFC 5626) to REGISTER requests.</summary>
    public bool Path { get; set; } = true;

    public IList<PairOptions> Pairs { get; } = [];

    /// <summary>This instance's site (a "Proxy:Pairs:N:Site"); none keeps every pair reachable.</summary>
    public string? Site { get; set; }

    /// <summary>The pair that serves user agents no rule matches; the first pair of the site (or the first pair) when not set.</summary>
    public string? DefaultPair { get; set; }

    /// <summary>Largest SIP message accepted, in bytes; default is the largest UDP datagram.</summary>
    public int MaxMessageBytes { get; set; } = 65535;

    /// <summary>
    /// The product the proxy names in the Server header of its own responses and the User-Agent of its probes; "" leaves
    /// both headers out; null (not set) keeps "OrleansProxy".
    /// </summary>
    public string? ServerHeader { get; set; }

    /// <summary>"stateful" (transactions and transaction-level failover) or "stateless".</summary>
    public string Mode { get; set; } = "stateful";

    public RoutingOptions Routing { get; } = new();

    public FailoverOptions Failover { get; } = new();

    public TransactionOptions Transactions { get; } = new();

    public ProbeOptions Probe { get; } = new();

    public AdminOptions Admin { get; } = new();

    public LocalSiloOptions Cluster { get; } = new();

    public ShutdownOptions Shutdown { get; } = new();

    public StartupOptions Startup { get; } = new();

    public UdpOptions Udp { get; } = new();

    public OverloadOptions Overload { get; } = new();
}
