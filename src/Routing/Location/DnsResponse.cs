namespace OrleansProxy.Routing.Location;

/// <summary>What one DNS question returned, before any caching.</summary>
/// <param name="Answers">Records of the type asked for (CNAMEs already followed by the resolver); empty unless <see cref="DnsAnswerKind.Records"/>.</param>
/// <param name="Additionals">The additional section's addresses: for SRV, usually the targets' A and AAAA records.</param>
/// <param name="Failure">Why there is no answer, for the log, when <paramref name="Kind"/> is <see cref="DnsAnswerKind.Failed"/>.</param>
internal sealed record DnsResponse(
    DnsAnswerKind Kind,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord.Address> Additionals,
    DnsFailure Failure = DnsFailure.None,
    string FailureReason = "")
{
    public static DnsResponse NoRecords { get; } = new(DnsAnswerKind.NoRecords, [], []);

    public static DnsResponse TimedOut { get; } = new(DnsAnswerKind.Failed, [], [], DnsFailure.TimedOut, "timed out");

    public static DnsResponse Failed(string reason) => new(DnsAnswerKind.Failed, [], [], DnsFailure.Error, reason);
}
