namespace OrleansProxy.Routing.Location;

/// <summary>The record types RFC 3263 location asks for, spelt as DNS spells them (the logs name them).</summary>
internal enum DnsQueryType
{
    A,
    AAAA,
    SRV,
    NAPTR,
}
