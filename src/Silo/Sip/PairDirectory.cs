using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Sip;

/// <summary>
/// Every configured pair member by address, resolved once at start-up, so that per-request lookups
/// ("did this come from a server?", "does this Route name a server?") are dictionary hits.
/// </summary>
internal sealed class PairDirectory
{
    private readonly Dictionary<IPEndPoint, PairMember> byEndPoint = [];
    private readonly Dictionary<string, PairMember> byAddress = new(StringComparer.OrdinalIgnoreCase);

    private PairDirectory()
    {
    }

    /// <summary>Resolves host names once, at start-up: a member whose name does not resolve stops start-up.</summary>
    public static PairDirectory Resolve(IHaPairCatalog catalog)
    {
        var directory = new PairDirectory();
        foreach (var pair in catalog.Pairs)
        {
            directory.Add(pair.Name, MemberRole.Primary, pair.Primary);
            directory.Add(pair.Name, MemberRole.Backup, pair.Backup);
        }

        return directory;
    }

    public PairMember? Find(IPEndPoint endPoint) => byEndPoint.GetValueOrDefault(endPoint);

    public PairMember? Find(NextHop hop)
    {
        if (hop.Address is not null)
        {
            return byEndPoint.GetValueOrDefault(new IPEndPoint(hop.Address, hop.Port));
        }

        return byAddress.GetValueOrDefault($"{hop.Host}:{hop.Port}");
    }

    public IPEndPoint EndPointOf(string address) =>
        byAddress.TryGetValue(address, out var member)
            ? member.EndPoint
            : throw new KeyNotFoundException($"'{address}' is not a member of any configured pair.");

    private void Add(string pair, MemberRole role, string address)
    {
        var endPoint = ResolveEndPoint(address);
        var member = new PairMember(pair, role, address, endPoint);
        byAddress[address] = member;
        byEndPoint[endPoint] = member;
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
