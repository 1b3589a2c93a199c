using DnsClient.Protocol;

namespace OrleansProxy.Silo.Routing;

/// <summary>What one DNS question returned, and until when it may be reused.</summary>
/// <param name="Answers">Records of the type asked for (CNAMEs already followed by the resolver).</param>
/// <param name="Additionals">The additional section: for SRV, usually the targets' addresses.</param>
internal sealed record DnsAnswer(
    DnsAnswerKind Kind,
    IReadOnlyList<DnsResourceRecord> Answers,
    IReadOnlyList<DnsResourceRecord> Additionals,
    DateTimeOffset ExpiresAt)
{
    public static DnsAnswer Empty(DnsAnswerKind kind, DateTimeOffset expiresAt) => new(kind, [], [], expiresAt);
}
