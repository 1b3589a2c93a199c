using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Checks "Proxy:Pairs" against the listeners: names and members each used once, both members of a pair reached the
/// same way, and a listener to send from.
/// </summary>
internal static class PairOptionsValidator
{
    public const int MaxNameLength = 64;

    /// <param name="listenKey">The full key of "Proxy:Listen", which faults point at.</param>
    /// <param name="placements">Where each sound pair is: its site, transport and egress.</param>
    public static ImmutableArray<HaPairSettings> Validate(
        IList<PairOptions> entries,
        SectionFaults list,
        ProbeSettings probe,
        ImmutableArray<ListenEndpoint> listen,
        string listenKey,
        out ImmutableArray<PairPlacement> placements)
    {
        if (entries.Count == 0 && !list.HasAny)
        {
            list.Add("at least one pair is required");
        }

        var pairs = ImmutableArray.CreateBuilder<HaPairSettings>(entries.Count);
        var placed = ImmutableArray.CreateBuilder<PairPlacement>(entries.Count);
        var names = new ClaimedValues<string>(StringComparer.OrdinalIgnoreCase);
        var members = new ClaimedValues<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = list.Entry(i);
            var primaryKey = entry.Child(nameof(PairOptions.Primary));
            var backupKey = entry.Child(nameof(PairOptions.Backup));
            var name = ValidateName(entries[i].Name, entry.Child(nameof(PairOptions.Name)), names);
            var primary = ValidateMember(entries[i].Primary, primaryKey, members);
            var backup = ValidateMember(entries[i].Backup, backupKey, members);
            var site = ValidateSiteName(entries[i].Site, entry.Child(nameof(PairOptions.Site)));
            if (primary is { } first && backup is { } second && !SameTransportAndFamily(first, second, backupKey, primaryKey.Path))
            {
                continue;
            }

            IPEndPoint? egress = null;
            if (primary is { } member)
            {
                CheckListenerFor(member, listen, listenKey, primaryKey);
                egress = ValidateEgress(entries[i].Egress, entry.Child(nameof(PairOptions.Egress)), member, listen, listenKey);
            }

            if (name is not null && primary is not null && backup is not null)
            {
                pairs.Add(new HaPairSettings(name, primary.Value.Address.ToString(), backup.Value.Address.ToString(), probe));
                placed.Add(new PairPlacement(name, site, primary.Value.TransportOrUdp, egress));
            }
        }

        placements = placed.ToImmutable();
        return pairs.ToImmutable();
    }

    /// <summary>A site is a name like a pair's: letters, digits, '.', '-' or '_'; compared ignoring case.</summary>
    public static string? ValidateSiteName(string? site, SectionFaults key) => site is not null && IsName(site, key) ? site : null;

    private static bool IsName(string text, SectionFaults key)
    {
        if (text.Length <= MaxNameLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            return true;
        }

        key.Add($"'{text}' must be 1-{SectionFaults.Number(MaxNameLength)} letters, digits, '.', '-' or '_'");
        return false;
    }

    // Requests to a member leave from a listener of its transport and address family; without one every request would get 503.
    private static void CheckListenerFor(TransportAddress member, ImmutableArray<ListenEndpoint> listen, string listenKey, SectionFaults key)
    {
        var transport = member.TransportOrUdp;
        var family = member.Address.Address?.AddressFamily;
        if (listen.IsEmpty || listen.Any(entry => entry.Transport == transport && (family is null || entry.EndPoint.AddressFamily == family)))
        {
            return;
        }

        key.Add($"'{member}' is reached over {Name(transport)}{Where(family)}, but {listenKey} has no such listener to send from");
    }

    private static string Where(AddressFamily? family) => family switch
    {
        null => string.Empty,
        AddressFamily.InterNetworkV6 => " on IPv6",
        _ => " on IPv4",
    };

    // The listener a pair's requests leave from must be able to reach its members: their transport and address family.
    private static IPEndPoint? ValidateEgress(string? text, SectionFaults key, TransportAddress member, ImmutableArray<ListenEndpoint> listen, string listenKey)
    {
        if (text is null || ListenEndpoint.ParseOneOf(text, listen, key, listenKey)?.FindIn(listen) is not { } listener)
        {
            return null;
        }

        var family = member.Address.Address?.AddressFamily;
        if (listener.Transport != member.TransportOrUdp || (family is not null && listener.EndPoint.AddressFamily != family))
        {
            key.Add($"'{text}' cannot reach '{member}': the pair is reached over {Name(member.TransportOrUdp)}{Where(family)}");
            return null;
        }

        return listener.EndPoint;
    }

    // The proxy reaches whichever member is active the same way, so a switchover never changes transport or family.
    private static bool SameTransportAndFamily(TransportAddress primary, TransportAddress backup, SectionFaults key, string primaryKey)
    {
        if (primary.TransportOrUdp != backup.TransportOrUdp)
        {
            key.Add($"'{backup}' uses {Name(backup.TransportOrUdp)} but {primaryKey} uses {Name(primary.TransportOrUdp)}: both members of a pair use one transport");
            return false;
        }

        if (primary.Address.Address is { } first && backup.Address.Address is { } second && first.AddressFamily != second.AddressFamily)
        {
            key.Add($"'{backup}' is not of the address family of {primaryKey} ('{primary}'): both members of a pair use one family");
            return false;
        }

        return true;
    }

    private static string Name(SipTransportKind transport) => transport.ToString().ToLowerInvariant();

    private static string? ValidateName(string? name, SectionFaults key, ClaimedValues<string> names) =>
        key.IsSet(name) && IsName(name, key) && names.Claim(name, key, holder => $"'{name}' is already the name of {holder} (names ignore case)") ? name : null;

    // A member may belong to one pair only: a request from that address must identify one pair.
    // The grain names a member by "host:port" without the transport, so two transports to one address are one member.
    private static TransportAddress? ValidateMember(string? text, SectionFaults key, ClaimedValues<string> members) =>
        TransportAddress.Parse(text, key, "host:port") is { } member
        && members.Claim(member.Address.ToString(), key, holder => $"'{text}' is the same member as {holder} ({member.Address})")
            ? member
            : null;
}
