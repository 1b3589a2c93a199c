namespace OrleansProxy.Routing.Location;

/// <summary>What one DNS question returned, and until when <see cref="CachingDnsResolver"/> may reuse it.</summary>
/// <param name="Answers">Records of the type asked for (CNAMEs already followed by the resolver).</param>
/// <param name="Additionals">The additional section: for SRV, usually the targets' addresses.</param>
internal sealed record DnsAnswer(
    DnsAnswerKind Kind,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord.Address> Additionals,
    DateTimeOffset ExpiresAt)
{
    public static DnsAnswer Empty(DnsAnswerKind kind, DateTimeOffset expiresAt) => new(kind, [], [], expiresAt);
}
