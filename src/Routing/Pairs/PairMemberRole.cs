namespace OrleansProxy.Routing.Pairs;

/// <summary>Which of its pair's two configured members a <see cref="PairMember"/> is (not which one is active: only the pair's grain knows that).</summary>
internal enum PairMemberRole
{
    Primary,
    Backup,
}
