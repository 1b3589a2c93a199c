using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Location;

/// <summary>
/// RFC 3263 §4 server location on DNS. A hop with an explicit port is looked up by A then AAAA (its transport, else
/// UDP). A hop without a port is looked up by SRV for its transport (<c>_sip._udp</c>, <c>_sip._tcp</c>,
/// <c>_sips._tcp</c>); without a transport, by the SRV names its domain's NAPTR records give for UDP and TCP
/// (<see cref="NaptrSipServices"/>), or without such records UDP's SRV and then TCP's. SRV targets are tried in
/// RFC 2782 order, each target's addresses taken from the additional section when it has them, else by A then
/// AAAA; when one SRV name's targets are all unusable, the next SRV name is tried. A name without any SRV records
/// is looked up by A then AAAA on the transport's default port (5060, 5061 for TLS; UDP when the hop names none).
/// </summary>
/// <remarks>
/// <para>Addresses are tried in the order DNS returned them, IPv4 before IPv6; an AAAA query is only made when no
/// IPv4 address of the name was usable.</para>
/// <para>A query that fails (time-out, server failure) for the hop's own name (NAPTR, SRV, A/AAAA) ends the
/// location with null: guessing past a resolver outage would send traffic somewhere the zone may not say. A failed
/// address lookup of one SRV target only skips that target. Failures are cached like negative answers, for
/// <see cref="DnsLocatorSettings.NegativeCacheTtl"/>, so a dead resolver costs one time-out per name in that time.</para>
/// <para>Greylisted addresses are skipped; when every address found is greylisted the result is null, like a name
/// that resolves to nothing, and the caller answers the request itself (503 or 404).</para>
/// <para>No DNS fault escapes as an exception; only the caller's own cancellation does (OperationCanceledException).</para>
/// </remarks>
internal sealed class DnsNextHopLocator : INextHopLocator
{
    private static readonly SipTransportKind[] TransportsWithoutPreference = [SipTransportKind.Udp, SipTransportKind.Tcp];
    private static readonly DnsQueryType[] AddressQueryTypes = [DnsQueryType.A, DnsQueryType.AAAA];

    private readonly CachingDnsResolver _resolver;
    private readonly EndPointGreylist _greylist;
    private readonly DnsLocatorSettings _settings;
    private readonly ILocationMetrics _metrics;
    private readonly ILogger<DnsNextHopLocator> _logger;

    /// <param name="dns">Asks the questions: <see cref="DnsClientQuery"/> on a node, answers made up in tests.</param>
    public DnsNextHopLocator(IDnsQuery dns, DnsLocatorSettings settings, TimeProvider timeProvider, ILocationMetrics metrics, ILogger<DnsNextHopLocator> logger)
    {
        _settings = settings;
        _metrics = metrics;
        _logger = logger;
        _resolver = new CachingDnsResolver(dns, settings, timeProvider, metrics, logger);
        _greylist = new EndPointGreylist(settings.GreylistPeriod, timeProvider);
    }

    public async ValueTask<LocatedTarget?> LocateAsync(NextHop hop, CancellationToken cancellationToken)
    {
        var location = new Location(hop);
        var target = await LocateCoreAsync(location, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            _logger.NextHopNotLocated(hop, location.GreylistedSkipped);
        }

        return target;
    }

    public void ReportFailure(IPEndPoint endPoint)
    {
        if (_greylist.IsEnabled)
        {
            _greylist.Add(endPoint);
            _metrics.RecordNextHopGreylisted();
            _logger.TargetGreylisted(endPoint, _settings.GreylistPeriod);
        }
    }

    private async ValueTask<LocatedTarget?> LocateCoreAsync(Location location, CancellationToken cancellationToken)
    {
        var hop = location.Hop;
        if (hop.Address is { } literal)
        {
            return location.Usable(new IPEndPoint(literal, hop.Port), hop.Transport ?? SipTransportKind.Udp, _greylist);
        }

        var host = FullyQualified(hop.Host);
        if (!hop.PortIsDefault)
        {
            return await FirstUsableAddressAsync(location, host, hop.Port, hop.Transport ?? SipTransportKind.Udp, [], cancellationToken).ConfigureAwait(false);
        }

        var services = await ServicesOfAsync(host, hop.Transport, cancellationToken).ConfigureAwait(false);
        if (services is null)
        {
            return null;
        }

        var anyServiceRecords = false;
        foreach (var (transport, serviceName) in services)
        {
            var answer = await _resolver.QueryAsync(serviceName, DnsQueryType.SRV, cancellationToken).ConfigureAwait(false);
            if (answer.Kind == DnsAnswerKind.Failed)
            {
                return null;
            }

            if (answer.Kind == DnsAnswerKind.Records)
            {
                anyServiceRecords = true;
                if (await FirstUsableServiceTargetAsync(location, answer, transport, cancellationToken).ConfigureAwait(false) is { } located)
                {
                    return located;
                }
            }
        }

        // The A/AAAA fallback is for names that publish no SIP service; one whose targets are all unusable is not one.
        if (anyServiceRecords)
        {
            return null;
        }

        var fallback = hop.Transport ?? SipTransportKind.Udp;
        return await FirstUsableAddressAsync(location, host, fallback.DefaultPort(), fallback, [], cancellationToken).ConfigureAwait(false);
    }

    /// <returns>The SRV names to ask, in order, each with its transport; null when the NAPTR query failed.</returns>
    private async ValueTask<List<(SipTransportKind Transport, string ServiceName)>?> ServicesOfAsync(
        string host,
        SipTransportKind? transport,
        CancellationToken cancellationToken)
    {
        if (transport is { } named)
        {
            return [(named, ServicePrefix(named) + host)];
        }

        var naptr = await _resolver.QueryAsync(host, DnsQueryType.NAPTR, cancellationToken).ConfigureAwait(false);
        if (naptr.Kind == DnsAnswerKind.Failed)
        {
            return null;
        }

        var published = NaptrSipServices.Arrange(naptr.Answers);
        if (published.Count > 0)
        {
            return [.. published.Select(service => (service.Transport, FullyQualified(service.ServiceName)))];
        }

        return [.. TransportsWithoutPreference.Select(udpOrTcp => (udpOrTcp, ServicePrefix(udpOrTcp) + host))];
    }

    private async ValueTask<LocatedTarget?> FirstUsableServiceTargetAsync(
        Location location,
        DnsAnswer services,
        SipTransportKind transport,
        CancellationToken cancellationToken)
    {
        var targets = new List<SrvTarget>();
        foreach (var record in services.Answers.OfType<DnsRecord.Service>())
        {
            // RFC 2782: a lone target of "." means the service is decidedly not available at this domain.
            if (record.Target != ".")
            {
                targets.Add(new SrvTarget(record.Priority, record.Weight, record.Port, FullyQualified(record.Target)));
            }
        }

        foreach (var target in SrvTargetOrder.Arrange(targets, Random.Shared))
        {
            var located = await FirstUsableAddressAsync(location, target.Host, target.Port, transport, services.Additionals, cancellationToken).ConfigureAwait(false);
            if (located is not null)
            {
                return located;
            }
        }

        return null;
    }

    private async ValueTask<LocatedTarget?> FirstUsableAddressAsync(
        Location location,
        string host,
        int port,
        SipTransportKind transport,
        IReadOnlyList<DnsRecord.Address> additionals,
        CancellationToken cancellationToken)
    {
        var glued = AddressesOf(host, additionals);
        if (glued.Count > 0)
        {
            return FirstUsable(location, glued, port, transport);
        }

        foreach (var type in AddressQueryTypes)
        {
            var answer = await _resolver.QueryAsync(host, type, cancellationToken).ConfigureAwait(false);
            if (answer.Kind == DnsAnswerKind.Failed)
            {
                return null;
            }

            var usable = FirstUsable(location, AddressesOf(null, answer.Answers), port, transport);
            if (usable is not null)
            {
                return usable;
            }
        }

        return null;
    }

    private LocatedTarget? FirstUsable(Location location, List<IPAddress> addresses, int port, SipTransportKind transport)
    {
        foreach (var address in addresses)
        {
            if (location.Usable(new IPEndPoint(address, port), transport, _greylist) is { } target)
            {
                return target;
            }
        }

        return null;
    }

    /// <param name="owner">Only records of this name (additional sections mix several targets); null for all.</param>
    private static List<IPAddress> AddressesOf(string? owner, IEnumerable<DnsRecord> records)
    {
        var addresses = new List<IPAddress>();
        foreach (var record in records)
        {
            if (record is DnsRecord.Address address && (owner is null || string.Equals(address.Owner, owner, StringComparison.OrdinalIgnoreCase)))
            {
                addresses.Add(address.Value);
            }
        }

        // IPv4 first, each family in the order DNS gave it.
        return [.. addresses.OrderBy(address => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1)];
    }

    // DNS names are case-insensitive; one spelling per name keeps one cache entry per name.
    private static string FullyQualified(string host) => (host.EndsWith('.') ? host : host + ".").ToLowerInvariant();

    private static string ServicePrefix(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Tls => "_sips._tcp.",
        SipTransportKind.Tcp => "_sip._tcp.",
        _ => "_sip._udp.",
    };

    /// <summary>One call's state: what it is locating, and how many greylisted targets it passed over.</summary>
    private sealed class Location(NextHop hop)
    {
        public NextHop Hop { get; } = hop;

        public int GreylistedSkipped { get; private set; }

        public LocatedTarget? Usable(IPEndPoint endPoint, SipTransportKind transport, EndPointGreylist greylist)
        {
            if (greylist.Contains(endPoint))
            {
                GreylistedSkipped++;
                return null;
            }

            return new LocatedTarget(endPoint, transport);
        }
    }
}
