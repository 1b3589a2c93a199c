namespace OrleansProxy.Grains.Diagnostics;

/// <summary>Every log event id of OrleansProxy.Grains (2000-2999), so that ids stay unique and greppable.</summary>
internal static class GrainsEventIds
{
    public const int Switchover = 2001;
    public const int MemberServing = 2002;
    public const int MemberDown = 2003;
    public const int PairUnavailable = 2004;
    public const int PairRecovered = 2005;
    public const int ProbeFailed = 2006;
    public const int UnknownPair = 2007;
    public const int ReminderLookupFailed = 2008;
    public const int ProbingStarted = 2009;
    public const int MemberNotServing = 2010;
    public const int ProbeBurst = 2011;
    public const int MembersReconfigured = 2012;
    public const int ProbeReconfigured = 2013;
    public const int PairRetired = 2014;
}
