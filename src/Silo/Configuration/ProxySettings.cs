using System.Collections.Immutable;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Location;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Overload;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// The validated, parsed configuration every layer of the host reads. Pair members are
/// normalised "host:port" strings (see <see cref="HostPort"/>), the identity the pair grain uses.
/// </summary>
/// <param name="DefaultPair">The pair that serves user agents no rule matches (the default of the instance's site).</param>
/// <param name="Routing">Rules, sites, trusted networks and static routes.</param>
/// <param name="AdminUrl">The only URL Kestrel listens on.</param>
/// <param name="SiloPort">The localhost silo's silo-to-silo port.</param>
internal sealed record ProxySettings(
    ImmutableArray<ListenEndpoint> Listen,
    ImmutableArray<string> Aliases,
    bool RecordRoute,
    ImmutableArray<HaPairSettings> Pairs,
    string DefaultPair,
    int MaxMessageBytes,
    ProbeSettings Probe,
    Uri AdminUrl,
    int SiloPort,
    TransactionSettings Transactions,
    RoutingTable Routing)
{
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>REGISTER requests get a Path naming this instance and the user agent's flow.</summary>
    public bool Path { get; init; } = true;

    public StreamSettings Streams { get; init; } = StreamSettings.Default;

    /// <summary>Where every SIP message is captured to as HEP v3; null = capture off.</summary>
    public HepCaptureSettings? Capture { get; init; }

    /// <summary>How host names of next hops are located (RFC 3263).</summary>
    public DnsLocatorSettings Dns { get; init; } = new();

    /// <summary>Named in the Server header of the proxy's own responses and the User-Agent of its probes ("Proxy:ServerHeader").</summary>
    public ProductName Product { get; init; } = ProductName.Default;

    /// <summary>How long SIGTERM waits for transactions in flight before the node stops.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Past this size a request leaves over TCP instead of UDP (RFC 3261 §18.1.1); 0 = never.</summary>
    public int UdpMaxRequestBytes { get; init; } = UdpOptions.DefaultMaxRequestBytes;

    /// <summary>The INVITE cap and per-source rate limit ("Proxy:Overload"); changed live by a reload.</summary>
    public OverloadLimits Overload { get; init; } = OverloadLimits.Off;

    /// <summary>Synthetic calls run through the proxy core before the listeners take traffic ("Proxy:Startup:WarmUp").</summary>
    public bool WarmUp { get; init; }
}
