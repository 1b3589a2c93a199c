using OrleansProxy.Sip;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// The "Proxy" configuration section, key for key as DESIGN.md's configuration contract
/// names them. It reads its own keys with <see cref="SectionReader"/>; <see cref="ProxyOptionsValidator"/>
/// turns it into <see cref="ProxySettings"/>.
/// </summary>
internal sealed class ProxyOptions : ISectionOptions
{
    public const string SectionName = "Proxy";

    /// <summary>"udp://host:port" per listening socket; host is an IP address.</summary>
    public IList<string> Listen { get; private set; } = [];

    /// <summary>Host names (and addresses) under which user agents and servers address this pool.</summary>
    public IList<string> Aliases { get; private set; } = [];

    public bool RecordRoute { get; set; } = true;

    /// <summary>Add Path (RFC 3327) with a flow token (RFC 5626) to REGISTER requests.</summary>
    public bool Path { get; set; } = true;

    public IList<PairOptions> Pairs { get; private set; } = [];

    /// <summary>This instance's site (a "Proxy:Pairs:N:Site"); none keeps every pair reachable.</summary>
    public string? Site { get; set; }

    /// <summary>The pair that serves user agents no rule matches; the first pair of the site (or the first pair) when not set.</summary>
    public string? DefaultPair { get; set; }

    /// <summary>Largest SIP message accepted, in bytes; default is the largest UDP datagram.</summary>
    public int MaxMessageBytes { get; set; } = SipDefaults.MaxMessageBytes;

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

    public ConnectionOptions Connections { get; } = new();

    public TlsOptions Tls { get; } = new();

    public CaptureOptions Capture { get; } = new();

    public void ReadFrom(SectionReader section)
    {
        Listen = section.Texts(nameof(Listen));
        Aliases = section.Texts(nameof(Aliases));
        RecordRoute = section.Bool(nameof(RecordRoute), RecordRoute);
        Path = section.Bool(nameof(Path), Path);
        Pairs = section.Entries<PairOptions>(nameof(Pairs), PairOptions.Shape);
        DefaultPair = section.Text(nameof(DefaultPair));
        Site = section.Text(nameof(Site));
        section.Section(nameof(Routing), Routing);
        MaxMessageBytes = section.Int(nameof(MaxMessageBytes), MaxMessageBytes);
        Mode = section.Text(nameof(Mode)) ?? Mode;
        ServerHeader = section.TextOrEmpty(nameof(ServerHeader));
        section.Section(nameof(Failover), Failover);
        section.Section(nameof(Transactions), Transactions);
        section.Section(nameof(Probe), Probe);
        section.Section(nameof(Admin), Admin);
        section.Section(nameof(Cluster), Cluster);
        section.Section(nameof(Shutdown), Shutdown);
        section.Section(nameof(Startup), Startup);
        section.Section(nameof(Udp), Udp);
        section.Section(nameof(Overload), Overload);
        section.Section(nameof(Connections), Connections);
        section.Section(nameof(Tls), Tls);
        section.Section(nameof(Capture), Capture);
    }
}
