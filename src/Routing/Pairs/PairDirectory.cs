using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Routing.Pairs;

/// <summary>
/// Every configured pair member by address, resolved once at start-up, so that per-request lookups
/// ("did this come from a server?", "does this Route name a server?") are dictionary hits.
/// </summary>
internal sealed class PairDirectory
{
    private readonly Dictionary<IPEndPoint, PairMember> byEndPoint = [];
    private readonly Dictionary<string, PairMember> byAddress = new(StringComparer.OrdinalIgnoreCase);

    // TCP and TLS members by IP address alone, where one member has that address; null marks a shared address.
    private readonly Dictionary<IPAddress, PairMember?> streamMembersByHost = [];

    private PairDirectory()
    {
    }

    /// <summary>Resolves host names once, at start-up: a member whose name does not resolve stops start-up.</summary>
    /// <param name="placements">The site and transport of each pair; a pair without one is reached over UDP.</param>
    public static PairDirectory Resolve(IEnumerable<PairAddresses> pairs, IEnumerable<PairPlacement> placements)
    {
        var placed = placements.ToDictionary(p => p.Pair, StringComparer.Ordinal);
        var directory = new PairDirectory();
        foreach (var pair in pairs)
        {
            var placement = placed.GetValueOrDefault(pair.Pair) ?? new PairPlacement(pair.Pair, null, SipTransportKind.Udp);
            directory.Add(placement, PairMemberRole.Primary, pair.Primary);
            directory.Add(placement, PairMemberRole.Backup, pair.Backup);
        }

        return directory;
    }

    public IEnumerable<PairMember> Members => byAddress.Values;

    public PairMember? Find(IPEndPoint endPoint) => byEndPoint.GetValueOrDefault(endPoint);

    /// <summary>
    /// The member a request came from. Over UDP a server sends from its SIP port; a TCP or TLS member connects from a
    /// port of the moment, so a source on its address is that member when no other member shares the address.
    /// </summary>
    public PairMember? FindSender(IPEndPoint source) =>
        byEndPoint.GetValueOrDefault(source) ?? streamMembersByHost.GetValueOrDefault(source.Address);

    public PairMember? Find(NextHop hop)
    {
        if (hop.Address is not null)
        {
            return byEndPoint.GetValueOrDefault(new IPEndPoint(hop.Address, hop.Port));
        }

        return byAddress.GetValueOrDefault($"{hop.Host}:{hop.Port}");
    }

    public IPEndPoint EndPointOf(string address) => MemberAt(address).EndPoint;

    /// <param name="address">A member as the pair's grain names it ("host:port").</param>
    public PairMember? Find(string address) => byAddress.GetValueOrDefault(address);

    /// <param name="address">A member as the pair's grain names it ("host:port").</param>
    public PairMember MemberAt(string address) =>
        byAddress.TryGetValue(address, out var member)
            ? member
            : throw new KeyNotFoundException($"'{address}' is not a member of any configured pair.");

    private void Add(PairPlacement placement, PairMemberRole role, string address)
    {
        var endPoint = ResolveEndPoint(address);
        var member = new PairMember(placement.Pair, role, address, endPoint, placement.Transport, placement.Site, placement.Egress);
        byAddress[address] = member;
        byEndPoint[endPoint] = member;
        if (placement.Transport != SipTransportKind.Udp)
        {
            streamMembersByHost[endPoint.Address] = streamMembersByHost.ContainsKey(endPoint.Address) ? null : member;
        }
    }

    private static IPEndPoint ResolveEndPoint(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        var port = int.Parse(address.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        if (IPAddress.TryParse(host, out var literal))
        {
            return new IPEndPoint(literal, port);
        }

        var addresses = Dns.GetHostAddresses(host);
        return addresses.Length > 0
            ? new IPEndPoint(addresses[0], port)
            : throw new InvalidOperationException($"Pair member host '{host}' resolves to no address.");
    }
}
