using System.Net;

namespace OrleansProxy.Routing.Location;

/// <summary>One resource record of the types RFC 3263 location reads, independent of the DNS library that fetched it.</summary>
/// <param name="Owner">The record's name, fully qualified with its trailing dot.</param>
/// <param name="TimeToLive">In seconds, as the zone gave it.</param>
internal abstract record DnsRecord(string Owner, int TimeToLive)
{
    /// <summary>An A or AAAA record.</summary>
    public sealed record Address(string Owner, int TimeToLive, IPAddress Value) : DnsRecord(Owner, TimeToLive);

    /// <summary>An SRV record (RFC 2782); <paramref name="Target"/> is "." when the service is not offered.</summary>
    public sealed record Service(string Owner, int TimeToLive, ushort Priority, ushort Weight, int Port, string Target) : DnsRecord(Owner, TimeToLive);

    /// <summary>A NAPTR record (RFC 3403).</summary>
    public sealed record NamingAuthorityPointer(
        string Owner,
        int TimeToLive,
        int Order,
        int Preference,
        string Flags,
        string Services,
        string Replacement) : DnsRecord(Owner, TimeToLive);
}
