namespace OrleansProxy.Grains.Pairs;

/// <summary>
/// Told when probes find a pair member down, so that the host stops waiting on what it already sent there:
/// a server that dies after its 180 Ringing would otherwise hold the call until Timer C (three minutes).
/// </summary>
public interface IMemberDownListener
{
    /// <remarks>Called on the grain's turn: return at once and do the work elsewhere.</remarks>
    /// <param name="member">"host:port" as configured.</param>
    void OnMemberDown(string pair, string member);
}
