namespace OrleansProxy.Grains.Pairs;

/// <summary>
/// What the host is told about a pair as it happens, on the grain's turn: return at once and do the work elsewhere.
/// </summary>
public interface IPairListener
{
    /// <summary>
    /// The pair's route changed (a switchover, or it lost or regained a serving member). Requests held while no
    /// member served leave on this, without waiting for their next grain call.
    /// </summary>
    void OnRouteChanged(PairRoute route);

    /// <summary>
    /// <paramref name="member"/> ("host:port" as configured) was found down, or the pair switched away from it:
    /// what was sent there and still waits for an answer should move to the active member.
    /// </summary>
    void OnMemberLost(string pair, string member);
}
